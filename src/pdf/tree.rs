//! The structure tree, built while pages are drawn: each marked-content
//! sequence (a leaf) goes under the elements its run's [`Tag`] names, in
//! reading order; and the headings, for the outline.
use crate::layout::shape::Glyph;
use crate::layout::{Role, Tag, TextRun};
use krilla::tagging::Identifier;

/// A structure element's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Div,
    P,
    Title,
    H(u8),
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    /// A header or body cell spanning (columns, rows).
    TH(u16, u16),
    TD(u16, u16),
}

/// An element: its kind, the key that tells it from its siblings, its
/// children in reading order, and (headings) its text.
pub struct Group {
    pub kind: Kind,
    key: u32,
    pub children: Vec<Child>,
    pub text: String,
}

pub enum Child {
    Group(Group),
    Leaf(Identifier),
}

impl Child {
    fn is(&self, kind: Kind, key: u32) -> bool {
        matches!(self, Child::Group(g) if g.kind == kind && g.key == key)
    }
}

/// A heading as the outline shows it.
pub struct Heading {
    /// 0 (a part) to 3.
    pub level: u8,
    id: u32,
    pub text: String,
    /// Page index and the top of its first line, pt from the page's top.
    pub page: usize,
    pub top: f32,
    /// Baseline of the last line added.
    last_y: f32,
}

/// Elements under the document root, and the headings met.
#[derive(Default)]
pub struct Builder {
    roots: Vec<Child>,
    headings: Vec<Heading>,
}

/// Groups that hold the document's header, signature and recipients blocks.
const HEADER: u32 = 0;
const SIGNATURE: u32 = 1;
const RECIPIENTS: u32 = 2;

/// The elements, outermost first, that a run tagged `tag` lies in (`label`:
/// the marker of a list item).
fn path(tag: Tag, label: bool) -> Vec<(Kind, u32)> {
    let id = tag.id;
    let item = if label { Kind::Lbl } else { Kind::LBody };
    match tag.role {
        Role::Artifact => Vec::new(),
        Role::Header => vec![(Kind::Div, HEADER), (Kind::P, id)],
        Role::Title => vec![(Kind::Title, id)],
        Role::Heading(level) => vec![(Kind::H(level.max(1)), id)],
        Role::Paragraph => vec![(Kind::P, id)],
        Role::ListItem { .. } => vec![(Kind::L, 0), (Kind::LI, id), (item, 0)],
        Role::Cell {
            head,
            row,
            col,
            cols,
            rows,
        } => vec![
            (Kind::Table, id),
            (Kind::TR, u32::from(row)),
            (
                if head {
                    Kind::TH(cols, rows)
                } else {
                    Kind::TD(cols, rows)
                },
                u32::from(col),
            ),
        ],
        Role::Signature => vec![(Kind::Div, SIGNATURE), (Kind::P, id)],
        Role::RecipientsTitle => vec![(Kind::Div, RECIPIENTS), (Kind::P, id)],
        Role::Recipient { .. } => vec![
            (Kind::Div, RECIPIENTS),
            (Kind::L, 0),
            (Kind::LI, id),
            (item, 0),
        ],
    }
}

/// Put `leaf` under `path` in `children`: into the last child when it is the
/// element named, else a new one. A table row or cell continued on the next
/// page (after the repeated header, an artifact) finds its element anywhere
/// among its siblings.
fn insert(children: &mut Vec<Child>, path: &[(Kind, u32)], leaf: Identifier) {
    let Some((&(kind, key), rest)) = path.split_first() else {
        children.push(Child::Leaf(leaf));
        return;
    };
    let found = if matches!(kind, Kind::TR | Kind::TH(..) | Kind::TD(..)) {
        children.iter().rposition(|c| c.is(kind, key))
    } else {
        children
            .len()
            .checked_sub(1)
            .filter(|&i| children.get(i).is_some_and(|c| c.is(kind, key)))
    };
    let i = found.unwrap_or_else(|| {
        children.push(Child::Group(Group {
            kind,
            key,
            children: Vec::new(),
            text: String::new(),
        }));
        children.len() - 1
    });
    if let Some(Child::Group(g)) = children.get_mut(i) {
        insert(&mut g.children, rest, leaf);
    }
}

impl Builder {
    /// A marked-content sequence of runs tagged `tag`.
    pub fn leaf(&mut self, tag: Tag, label: bool, id: Identifier) {
        let p = path(tag, label);
        if !p.is_empty() {
            insert(&mut self.roots, &p, id);
        }
    }

    /// A piece of a run drawn on page `page`: a heading's text is kept for
    /// its bookmark and its element's title.
    pub fn text(&mut self, glyphs: &[Glyph], t: &TextRun, page: usize) {
        let Role::Heading(level) = t.tag.role else {
            return;
        };
        let s: String = glyphs.iter().map(|g| &*g.text).collect();
        match self.headings.last_mut() {
            Some(h) if h.id == t.tag.id && h.level == level => {
                // A new line of the same heading reads after a space.
                if t.y != h.last_y && !h.text.ends_with(char::is_whitespace) {
                    h.text.push(' ');
                }
                h.text.push_str(&s);
                h.last_y = t.y;
            }
            _ => self.headings.push(Heading {
                level,
                id: t.tag.id,
                text: s,
                page,
                top: t.y - t.size,
                last_y: t.y,
            }),
        }
    }

    /// The elements under the root, headings titled, and the headings.
    pub fn finish(mut self) -> (Vec<Group>, Vec<Heading>) {
        for h in &mut self.headings {
            h.text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let roots = self
            .roots
            .into_iter()
            .filter_map(|c| match c {
                Child::Group(mut g) => {
                    if let Kind::H(_) = g.kind {
                        if let Some(h) = self.headings.iter().find(|h| h.id == g.key) {
                            g.text.clone_from(&h.text);
                        }
                    }
                    Some(g)
                }
                Child::Leaf(_) => None,
            })
            .collect();
        (roots, self.headings)
    }
}
