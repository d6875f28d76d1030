//! Word documents (`.docx`) from Markdown: the information letter and the write-up, for
//! teachers who write and send letters in Word. `pulldown-cmark` reads the Markdown (headings,
//! paragraphs, bold and italic, lists, quotes, tables, line breaks); `docx-rs` writes the
//! document with Word's own heading styles, so the headings show in Word's navigation pane.

use std::io::Cursor;

use docx_rs::{BreakType, Docx, Paragraph, Run, Style, StyleType};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::ReportError;

/// Indentation per list or quote level, in twentieths of a point.
const INDENT: i32 = 360;

/// A Word document from Markdown text.
pub fn docx_from_markdown(md: &str) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .add_style(heading("Heading1", "heading 1", 36))
        .add_style(heading("Heading2", "heading 2", 30))
        .add_style(heading("Heading3", "heading 3", 26))
        .add_style(heading("Heading4", "heading 4", 24));
    let mut w = Writer::default();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        w.event(event);
    }
    w.finish();
    for p in w.done {
        doc = doc.add_paragraph(p);
    }
    let mut buf = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

fn heading(id: &str, name: &str, half_points: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .size(half_points)
        .bold()
}

/// Turns Markdown events into paragraphs.
#[derive(Default)]
struct Writer {
    done: Vec<Paragraph>,
    open: Option<Paragraph>,
    bold: usize,
    italic: usize,
    quote: i32,
    /// Per open list: the next number (ordered) or `None` (bullets).
    lists: Vec<Option<u64>>,
    /// The open list item has its paragraph (with the bullet) already.
    in_item: bool,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                let style = match level {
                    HeadingLevel::H1 => "Heading1",
                    HeadingLevel::H2 => "Heading2",
                    HeadingLevel::H3 => "Heading3",
                    _ => "Heading4",
                };
                self.open = Some(Paragraph::new().style(style));
            }
            // In a list item the first paragraph continues the bullet's.
            Event::Start(Tag::Paragraph) if !(self.in_item && self.open.is_some()) => {
                self.flush();
                self.open = Some(self.plain());
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quote -= 1;
            }
            Event::Start(Tag::List(first)) => {
                self.flush();
                self.lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let mark = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}.\t");
                        *n += 1;
                        m
                    }
                    _ => "•\t".to_owned(),
                };
                self.open = Some(self.plain().add_run(Run::new().add_text(mark)));
                self.in_item = true;
            }
            Event::End(TagEnd::Item) => {
                self.flush();
                self.in_item = false;
            }
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                self.flush();
                self.open = Some(self.plain());
            }
            Event::End(TagEnd::TableCell) => self.text("\t"),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableHead | TagEnd::TableRow,
            ) if !self.in_item => self.flush(),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                let p = self.open.take().unwrap_or_else(|| self.plain());
                self.open = Some(p.add_run(Run::new().add_break(BreakType::TextWrapping)));
            }
            Event::Rule => {
                self.flush();
                self.done.push(Paragraph::new());
            }
            _ => {}
        }
    }

    /// A body paragraph, indented for the open lists and quotes.
    fn plain(&self) -> Paragraph {
        let depth = self.quote + i32::try_from(self.lists.len()).unwrap_or(0);
        if depth > 0 {
            Paragraph::new().indent(Some(INDENT * depth), None, None, None)
        } else {
            Paragraph::new()
        }
    }

    fn text(&mut self, t: &str) {
        let mut run = Run::new().add_text(t);
        if self.bold > 0 {
            run = run.bold();
        }
        if self.italic > 0 || self.quote > 0 {
            run = run.italic();
        }
        let p = self.open.take().unwrap_or_else(|| self.plain());
        self.open = Some(p.add_run(run));
    }

    fn flush(&mut self) {
        if let Some(p) = self.open.take() {
            self.done.push(p);
        }
    }

    fn finish(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_lists_and_emphasis_reach_the_document() {
        let md = "# Brief — De Linde\n\nBeste **collega's**, dit is *belangrijk*.\n\n\
                  ## Tijdsplanning\n\n- Fase 1: 15-01-2027\n- Fase 2: nog niet gepland\n\n\
                  1. een\n2. twee\n\n> Met vriendelijke groet,\n>\n> Anja\n";
        let bytes = docx_from_markdown(md).unwrap();
        assert_eq!(&bytes[..2], b"PK", "a zip package");
        let back = docx_rs::read_docx(&bytes).unwrap().json();
        for text in [
            "Brief — De Linde",
            "collega's",
            "belangrijk",
            "Fase 1: 15-01-2027",
            "Anja",
            "2.\\t",
        ] {
            assert!(back.contains(text), "{text} missing");
        }
        assert!(back.contains("Heading1") && back.contains("Heading2"));
        // "collega's" is bold: its run has the bold property.
        let at = back.find("collega's").unwrap();
        let before = &back[back[..at].rfind("\"runProperty\"").unwrap()..at];
        assert!(before.contains("\"bold\""), "bold run: {before}");
        // No Markdown marks are left in the text.
        assert!(!back.contains("**") && !back.contains("## "));
    }
}
