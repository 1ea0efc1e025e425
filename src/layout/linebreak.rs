//! Line breaking: words and spaces → lines, by total fit (Knuth–Plass).
//!
//! Takes word widths, the stretchable spaces between them and the line widths;
//! returns where each line starts and ends. Lines break only at spaces (Vietnamese
//! is never hyphenated). The whole paragraph is optimised at once, so loose lines are
//! avoided across the paragraph, not only greedily. Each word carries what a
//! break after it costs (`penalty`: a tie or a word's inside costs much, a
//! break after punctuation earns a little); display lines (titles, headings,
//! agency names) also keep centred lines even and never leave one word alone on
//! the last line, when another way exists.

/// One word and the space after it (none after the last word).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    /// Width of the word, pt.
    pub width: f32,
    /// Natural width of the space after it, pt.
    pub space: f32,
    /// Demerits added when a line ends after this word (0: an ordinary
    /// space; see `layout::breaks`). Ignored on the last word.
    pub penalty: f32,
}

/// A line: words `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

const STRETCH: f32 = 0.5; // of a space: TeX's stretch for spaces
const SHRINK: f32 = 1.0 / 3.0;
const LINE_PENALTY: f32 = 10.0;
/// A display line of one word at the end of a block: avoided unless the only
/// other way breaks inside a word.
const UNEVEN: f32 = 1.0e7;
/// The shortest an upper line of a centred display block may be, as a share of
/// the line below it.
const EVEN: f32 = 0.85;

/// Break `items` into lines: the first line is `first_width` wide, the others
/// `width`. Justified text minimises Knuth–Plass demerits (the last line is free);
/// balanced text (centred titles) minimises the squared slack of every line,
/// the last included, so lines come out of even length.
pub fn break_lines(items: &[Item], first_width: f32, width: f32) -> Vec<Line> {
    break_lines_with(items, first_width, width, Fit::Justify)
}

/// How lines are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Justified: spaces stretch and shrink; the last line is free.
    Justify,
    /// Ragged (left or right aligned): spaces keep their width, so no line may
    /// exceed the width; the last line is free.
    Ragged,
    /// Centred: like ragged, but every line, the last included, as even as can be.
    Balance,
}

/// Like [`break_lines`], with the given way of filling lines.
// `best` and `from` have `n + 1` entries and `i` runs below `n`: in bounds by
// construction.
#[allow(clippy::indexing_slicing)]
pub fn break_lines_with(items: &[Item], first_width: f32, width: f32, fit: Fit) -> Vec<Line> {
    let n = items.len();
    if n == 0 {
        return Vec::new();
    }
    // best[j]: least demerits for a break before word j; from[j]: where that line began.
    let mut best = vec![f32::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for i in 0..n {
        if !best[i].is_finite() {
            continue;
        }
        let w = if i == 0 { first_width } else { width };
        each_line_from(items, i, w, fit, |j, _, d| {
            if best[i] + d < best[j] {
                best[j] = best[i] + d;
                from[j] = i;
            }
        });
    }
    trace_lines(&from)
}

/// A way to reach a break in [`break_display`]: the last line began at
/// `start`, is `natural` pt wide at rest, and the least demerits up to here
/// are `cost`, through the state `prev` of the break at `start`.
#[derive(Debug, Clone, Copy)]
struct State {
    start: usize,
    natural: f32,
    cost: f32,
    prev: usize,
}

/// Like [`break_lines_with`] for display lines: besides each word's penalty,
/// the last line holds more than one word and, centred, a line shorter than
/// 85 % of the line below it costs more the shorter it is. Since that cost
/// depends on two lines, the best ways are kept per break *and* per start of
/// the line ending there (display blocks are short: a few states per break).
/// Where keeping every pair in shape would take more lines, only the last two
/// lines are kept so.
pub fn break_display(items: &[Item], first_width: f32, width: f32, fit: Fit) -> Vec<Line> {
    let every = break_shaped(items, (first_width, width), fit, true);
    if fit != Fit::Balance || every.len() <= 2 {
        return every;
    }
    // In a long block, lines that may not grow by more than 1/0.85 from one
    // to the next can come out as short as the shortest: when keeping every
    // pair in shape takes more lines, only the last two are kept so.
    let last_two = break_shaped(items, (first_width, width), fit, false);
    if every.len() > last_two.len() {
        last_two
    } else {
        every
    }
}

/// [`break_display`] with every pair of lines in shape, or (`every` false)
/// only the last two.
// `ends` has `n + 1` entries, `i < n`, `j <= n` and `prev` indexes `ends[start]`
// as pushed: in bounds by construction (and read with `get` when tracing).
#[allow(clippy::indexing_slicing)]
fn break_shaped(
    items: &[Item],
    (first_width, width): (f32, f32),
    fit: Fit,
    every: bool,
) -> Vec<Line> {
    let n = items.len();
    if n == 0 {
        return Vec::new();
    }
    let mut ends: Vec<Vec<State>> = vec![Vec::new(); n + 1];
    ends[0].push(State {
        start: 0,
        natural: 0.0,
        cost: 0.0,
        prev: 0,
    });
    for i in 0..n {
        if ends[i].is_empty() {
            continue;
        }
        let w = if i == 0 { first_width } else { width };
        let mut found: Vec<(usize, State)> = Vec::new();
        each_line_from(items, i, w, fit, |j, natural, d| {
            let shape = |above: &State| uneven(natural, above.natural, (fit, every), (i, j, n));
            let best = ends[i]
                .iter()
                .enumerate()
                .map(|(k, above)| (k, above.cost + d + shape(above)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((prev, cost)) = best {
                found.push((
                    j,
                    State {
                        start: i,
                        natural,
                        cost,
                        prev,
                    },
                ));
            }
        });
        for (j, st) in found {
            ends[j].push(st);
        }
    }
    trace_states(&ends)
}

/// The lines of the cheapest way to the end in `ends`, first to last.
fn trace_states(ends: &[Vec<State>]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut j = ends.len().saturating_sub(1);
    let mut at = ends
        .last()
        .and_then(|e| {
            e.iter()
                .enumerate()
                .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
        })
        .map(|(k, _)| k);
    while j > 0 {
        let Some(st) = at.and_then(|k| ends.get(j).and_then(|e| e.get(k))) else {
            break;
        };
        lines.push(Line {
            start: st.start,
            end: j,
        });
        j = st.start;
        at = Some(st.prev);
    }
    lines.reverse();
    lines
}

/// What a display line `i..j` (of `n` words, `natural` pt at rest) costs for
/// its shape: [`UNEVEN`] when it is the last line and holds one word, or when,
/// in a centred block, the line above it (`above` pt) is shorter than
/// [`EVEN`] of it; with `every` false, only the last line is compared so.
fn uneven(
    natural: f32,
    above: f32,
    (fit, every): (Fit, bool),
    (i, j, n): (usize, usize, usize),
) -> f32 {
    if i == 0 {
        return 0.0;
    }
    if j == n && j == i + 1 {
        return UNEVEN;
    }
    if fit == Fit::Balance && (every || j == n) && above < EVEN * natural {
        return UNEVEN;
    }
    0.0
}

/// The widths of a candidate line, pt: at rest, and how far its spaces may
/// stretch and shrink.
#[derive(Debug, Clone, Copy, Default)]
struct Extent {
    natural: f32,
    stretch: f32,
    shrink: f32,
}

impl Extent {
    /// Add a word to the end of the line, after `space_before` if it is not the
    /// line's first word. Spaces shrink by `shrink_factor` of their width.
    fn push(&mut self, width: f32, space_before: Option<f32>, shrink_factor: f32) {
        self.natural += width;
        if let Some(sp) = space_before {
            self.natural += sp;
            self.stretch += sp * STRETCH;
            self.shrink += sp * shrink_factor;
        }
    }
}

/// Every line that may start at word `i` (`w` pt wide): `f(j, natural
/// width, demerits)` for each word `j` it may end before, the penalty of a
/// break there included. Stops at the first line too long even when shrunk.
// `i < n` and `i + 1 <= j <= n`: the indices `j - 1` and `j - 2` (only when
// `j - 1 > i`) are in bounds.
#[allow(clippy::indexing_slicing)]
fn each_line_from(items: &[Item], i: usize, w: f32, fit: Fit, mut f: impl FnMut(usize, f32, f32)) {
    let n = items.len();
    let shrink_factor = if fit == Fit::Justify { SHRINK } else { 0.0 };
    let mut line = Extent::default();
    for j in (i + 1)..=n {
        let space_before = (j - 1 > i).then(|| items[j - 2].space);
        line.push(items[j - 1].width, space_before, shrink_factor);
        let Some(badness) = badness(line, w, fit, j == n, j == i + 1) else {
            break;
        };
        let mut d = (LINE_PENALTY + badness).powi(2);
        if j < n {
            d += items[j - 1].penalty;
        }
        f(j, line.natural, d);
        if line.natural - line.shrink > w {
            break;
        }
    }
}

/// How bad `line` is in a line `w` pt wide, or `None` when it may not be set
/// there at all (and no longer line from the same start may either). `last`:
/// the paragraph's last line; `single`: the line holds one word.
fn badness(line: Extent, w: f32, fit: Fit, last: bool, single: bool) -> Option<f32> {
    let Extent {
        natural,
        stretch,
        shrink,
    } = line;
    // The last line is set at its natural width: it may not shrink.
    if last && fit == Fit::Justify && natural > w + 0.01 && !single {
        return None;
    }
    if fit != Fit::Justify && natural <= w {
        if fit == Fit::Balance || !last {
            let slack = (w - natural) / w.max(1.0) * 100.0;
            return Some(slack * slack);
        }
        return Some(0.0);
    }
    if natural > w {
        if natural - shrink > w + 0.01 {
            // An overfull single word: unavoidable, heavily penalised.
            return single.then_some(1.0e6);
        }
        let r = (natural - w) / shrink.max(1e-6);
        return Some(100.0 * r.powi(3));
    }
    if last {
        return Some(0.0);
    }
    if stretch <= 0.0 {
        // A single word on a non-last line cannot be justified.
        return Some(if single { 5.0e3 } else { 1.0e4 });
    }
    let r = (w - natural) / stretch;
    Some((100.0 * r.powi(3)).min(1.0e4))
}

/// The lines of the best breaks, first to last, read back from `from` (where
/// the best line ending before each word began).
fn trace_lines(from: &[usize]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut j = from.len().saturating_sub(1);
    while j > 0 {
        let i = from.get(j).copied().unwrap_or(0);
        lines.push(Line { start: i, end: j });
        j = i;
    }
    lines.reverse();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(ws: &[f32]) -> Vec<Item> {
        ws.iter()
            .map(|&w| Item {
                width: w,
                space: 3.5,
                penalty: 0.0,
            })
            .collect()
    }

    #[test]
    fn every_word_once_in_order() {
        let it = items(&[20.0; 57]);
        let lines = break_lines(&it, 80.0, 100.0);
        assert_eq!(lines[0].start, 0);
        assert_eq!(lines.last().map(|l| l.end), Some(57));
        for w in lines.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }

    #[test]
    fn lines_fit_after_shrinking() {
        let ws: Vec<f32> = (0..200).map(|i| 10.0 + ((i * 37) % 23) as f32).collect();
        let it = items(&ws);
        for (k, l) in break_lines(&it, 250.0, 300.0).iter().enumerate() {
            let w = if k == 0 { 250.0 } else { 300.0 };
            let words: f32 = it[l.start..l.end].iter().map(|x| x.width).sum();
            let spaces = (l.end - l.start - 1) as f32 * 3.5;
            assert!(words + spaces * (1.0 - SHRINK) <= w + 0.02, "line {k}");
        }
    }

    #[test]
    fn ragged_lines_never_exceed_the_width() {
        // 3 words of 30 + 2 spaces of 3.5 = 97 > 95: a ragged line may not shrink.
        let it = items(&[30.0, 30.0, 30.0, 30.0]);
        let lines = break_lines_with(&it, 95.0, 95.0, Fit::Ragged);
        assert!(lines.iter().all(|l| l.end - l.start <= 2), "{lines:?}");
        let lines = break_lines_with(&it, 95.0, 95.0, Fit::Justify);
        assert_eq!(lines[0].end, 3);
    }

    #[test]
    fn justified_last_line_never_overflows() {
        // Four words fit on one line only by shrinking spaces: as the last line
        // (not justified) that would overflow, so the paragraph takes two lines.
        let it = items(&[30.0, 30.0, 30.0, 30.0]);
        let lines = break_lines(&it, 128.0, 128.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
    }

    #[test]
    fn overlong_word_gets_its_own_line() {
        let it = items(&[10.0, 500.0, 10.0]);
        let lines = break_lines(&it, 100.0, 100.0);
        assert!(lines.iter().any(|l| l.start == 1 && l.end == 2));
    }

    #[test]
    fn balanced_lines_are_even() {
        // Greedy would give a full first line and a one-word second line.
        let it = items(&[40.0, 40.0, 40.0, 40.0, 40.0]);
        let lines = break_lines_with(&it, 180.0, 180.0, Fit::Balance);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].end - lines[0].start <= 3);
        assert!(lines[1].end - lines[1].start >= 2);
    }

    #[test]
    fn a_tie_moves_the_break_and_display_lines_avoid_a_lone_last_word() {
        // Greedy and total fit would break after word 2; a tie there moves it.
        let mut it = items(&[40.0, 40.0, 40.0, 40.0]);
        let free = break_lines_with(&it, 130.0, 130.0, Fit::Ragged);
        assert_eq!(free[0].end, 3, "{free:?}");
        it[2].penalty = 1.0e9;
        let tied = break_lines_with(&it, 130.0, 130.0, Fit::Ragged);
        assert_eq!(tied[0].end, 2, "{tied:?}");
        // Display lines: three words then one alone is avoided.
        let it = items(&[40.0, 40.0, 40.0, 40.0]);
        let d = break_display(&it, 130.0, 130.0, Fit::Ragged);
        assert!(d.last().is_some_and(|l| l.end - l.start >= 2), "{d:?}");
    }

    #[test]
    fn centred_display_lines_keep_the_upper_line_long_unless_a_word_would_split() {
        // Two lines of 3 + 2 or 2 + 3 words are as even; the upper is the longer.
        let mut it = items(&[50.0; 5]);
        let d = break_display(&it, 180.0, 180.0, Fit::Balance);
        assert_eq!(
            d.iter().map(|l| l.end - l.start).collect::<Vec<_>>(),
            [3, 2]
        );
        // A word of the list across the third gap: a short upper line then.
        it[2].penalty = 1.0e9;
        let d = break_display(&it, 180.0, 180.0, Fit::Balance);
        assert_eq!(
            d.iter().map(|l| l.end - l.start).collect::<Vec<_>>(),
            [2, 3]
        );
    }
}
