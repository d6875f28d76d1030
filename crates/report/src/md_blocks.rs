//! The one Markdown reader of Leerrijk: `pulldown-cmark` turns a text (the information letter)
//! into simple blocks with bold and italic spans. The app's preview, the HTML report and the
//! Word export all read the letter through it, so they agree on what it says.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdSpan {
    /// The text.
    pub text: String,
    /// Bold (`**…**`).
    pub bold: bool,
    /// Italic (`*…*`, `_…_`), also inside a quote.
    pub italic: bool,
}

/// One block of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MdBlock {
    /// A heading of level 1–6.
    Heading(u8, Vec<MdSpan>),
    /// A paragraph (soft line breaks become spaces, hard ones `\n`); `quote` > 0 inside `>`.
    Paragraph {
        /// The text.
        spans: Vec<MdSpan>,
        /// How many quotes it is in.
        quote: usize,
    },
    /// A list item: its marker (`•` or `3.`), how deep the list is (1 = top), its text.
    Item {
        /// `•` or `3.`.
        marker: String,
        /// 1 for a top-level list.
        depth: usize,
        /// The text.
        spans: Vec<MdSpan>,
    },
    /// A horizontal rule.
    Rule,
}

impl MdBlock {
    /// The block's text without emphasis.
    pub fn plain(&self) -> String {
        let spans = match self {
            MdBlock::Heading(_, s) | MdBlock::Item { spans: s, .. } => s,
            MdBlock::Paragraph { spans, .. } => spans,
            MdBlock::Rule => return String::new(),
        };
        spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Reads Markdown into blocks (tables' cells are read as text separated by tabs).
pub fn md_blocks(md: &str) -> Vec<MdBlock> {
    let mut r = Reader::default();
    for e in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        r.event(e);
    }
    r.flush();
    r.out
}

enum Open {
    Heading(u8),
    Paragraph,
    Item(String),
}

#[derive(Default)]
struct Reader {
    out: Vec<MdBlock>,
    open: Option<(Open, Vec<MdSpan>)>,
    bold: usize,
    italic: usize,
    quote: usize,
    lists: Vec<Option<u64>>,
}

impl Reader {
    fn event(&mut self, e: Event<'_>) {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.open = Some((Open::Heading(n), Vec::new()));
            }
            // In a list item the first paragraph is the item's own text.
            Event::Start(Tag::Paragraph) if !matches!(&self.open, Some((Open::Item(_), s)) if s.is_empty()) =>
            {
                self.flush();
                self.open = Some((Open::Paragraph, Vec::new()));
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                self.flush();
                self.open = Some((Open::Paragraph, Vec::new()));
            }
            Event::End(TagEnd::TableCell) => self.text("\t"),
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
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
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}.");
                        *n += 1;
                        m
                    }
                    _ => "•".to_owned(),
                };
                self.open = Some((Open::Item(marker), Vec::new()));
            }
            Event::End(
                TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::TableHead
                | TagEnd::TableRow,
            ) => self.flush(),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.flush();
                self.out.push(MdBlock::Rule);
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        let span = MdSpan {
            text: t.to_owned(),
            bold: self.bold > 0,
            italic: self.italic > 0 || self.quote > 0,
        };
        let (_, spans) = self
            .open
            .get_or_insert_with(|| (Open::Paragraph, Vec::new()));
        match spans.last_mut() {
            Some(last) if last.bold == span.bold && last.italic == span.italic => {
                last.text.push_str(&span.text);
            }
            _ => spans.push(span),
        }
    }

    fn flush(&mut self) {
        let Some((kind, spans)) = self.open.take() else {
            return;
        };
        let block = match kind {
            Open::Heading(n) => MdBlock::Heading(n, spans),
            Open::Paragraph => MdBlock::Paragraph {
                spans,
                quote: self.quote,
            },
            Open::Item(marker) => MdBlock::Item {
                marker,
                depth: self.lists.len().max(1),
                spans,
            },
        };
        self.out.push(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(b: &[MdBlock]) -> Vec<String> {
        b.iter().map(MdBlock::plain).collect()
    }

    #[test]
    fn the_letter_reads_as_blocks_with_emphasis() {
        let b = md_blocks(
            "# Titel\n\n*Ondertitel*\n\n## Kopje\n\nRegel een\nregel twee.\n\n1. **Start** — eerst\n2. Daarna\n- punt\n  vervolg\n\n#geen kop\n",
        );
        assert_eq!(
            plain(&b),
            [
                "Titel",
                "Ondertitel",
                "Kopje",
                "Regel een regel twee.",
                "Start — eerst",
                "Daarna",
                "punt vervolg",
                "#geen kop"
            ]
        );
        assert!(matches!(&b[0], MdBlock::Heading(1, _)));
        assert!(matches!(&b[4], MdBlock::Item { marker, .. } if marker == "1."));
        assert!(matches!(&b[6], MdBlock::Item { marker, .. } if marker == "•"));
        let MdBlock::Item { spans, .. } = &b[4] else {
            panic!("item")
        };
        assert!(spans[0].bold && spans[0].text == "Start");
        assert!(!spans[1].bold);
        let MdBlock::Paragraph { spans, .. } = &b[1] else {
            panic!("paragraph")
        };
        assert!(spans[0].italic);
        // snake_case stays text.
        assert_eq!(
            plain(&md_blocks("een snake_case woord")),
            ["een snake_case woord"]
        );
    }
}
