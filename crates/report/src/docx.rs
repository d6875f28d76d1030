//! Word documents (`.docx`) from Markdown: the information letter and the write-up, for
//! teachers who write and send letters in Word. The Markdown is read by the one reader
//! ([`md_blocks`], pulldown-cmark); `docx-rs` writes the document with Word's own heading
//! styles, so the headings show in Word's navigation pane.

use std::io::Cursor;

use docx_rs::{BreakType, Docx, Paragraph, Run, Style, StyleType};

use crate::ReportError;
use crate::md_blocks::{MdBlock, MdSpan, md_blocks};

/// Indentation per list or quote level, in twentieths of a point.
const INDENT: i32 = 360;

/// A Word document from Markdown text (read by [`md_blocks`], as the app's preview and the
/// HTML report read it).
pub fn docx_from_markdown(md: &str) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .add_style(heading("Heading1", "heading 1", 36))
        .add_style(heading("Heading2", "heading 2", 30))
        .add_style(heading("Heading3", "heading 3", 26))
        .add_style(heading("Heading4", "heading 4", 24));
    for block in md_blocks(md) {
        let p = match &block {
            MdBlock::Heading(level, spans) => {
                let style = match level {
                    1 => "Heading1",
                    2 => "Heading2",
                    3 => "Heading3",
                    _ => "Heading4",
                };
                runs(Paragraph::new().style(style), spans)
            }
            MdBlock::Paragraph { spans, quote } => {
                runs(indented(i32::try_from(*quote).unwrap_or(0)), spans)
            }
            MdBlock::Item {
                marker,
                depth,
                spans,
            } => runs(
                indented(i32::try_from(*depth).unwrap_or(1))
                    .add_run(Run::new().add_text(format!("{marker}\t"))),
                spans,
            ),
            MdBlock::Rule => Paragraph::new(),
        };
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

fn indented(depth: i32) -> Paragraph {
    if depth > 0 {
        Paragraph::new().indent(Some(INDENT * depth), None, None, None)
    } else {
        Paragraph::new()
    }
}

/// The spans as runs; a `\n` in a span (a hard line break) becomes a line break.
fn runs(mut p: Paragraph, spans: &[MdSpan]) -> Paragraph {
    for span in spans {
        for (i, line) in span.text.split('\n').enumerate() {
            if i > 0 {
                p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
            }
            let mut run = Run::new().add_text(line);
            if span.bold {
                run = run.bold();
            }
            if span.italic {
                run = run.italic();
            }
            p = p.add_run(run);
        }
    }
    p
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
