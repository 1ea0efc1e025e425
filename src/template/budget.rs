//! Bounds on the work of one render: a template that would expand without end
//! (partials that include the next one twice, twenty levels deep; five loops
//! of a hundred items nested) stops with an error at the place that blew up,
//! instead of filling the memory or running for hours.
//!
//! Two budgets, both per render:
//!
//! - the filled-in markup is at most [`MAX_OUTPUT_BYTES`]: Handlebars writes
//!   into [`Capped`], which refuses the write that would pass it;
//! - at most [`MAX_STEPS`] steps of work (loops and partials that write
//!   nothing are bounded too): a pass through the body of an `{{#each}}` is
//!   one step; an expansion of a partial is [`PARTIAL_STEPS`] plus one per
//!   value of the data it is given, because Handlebars copies those values
//!   for every expansion (the copying is what takes the time).
//!
//! [`instrument`] puts a call of a step helper at the start of every template,
//! partial, inline partial and loop body once compiled, when Handlebars'
//! white-space rules have already been applied (the call writes nothing, so
//! the output is the same); [`render`] registers the helpers for one render,
//! with their own counter.
use handlebars::template::{Template, TemplateElement, TemplateMapping};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, Renderable,
};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The largest filled-in markup of one report: 50 MiB (a long report is a
/// few hundred kilobytes).
pub const MAX_OUTPUT_BYTES: usize = 50 << 20;

/// The most steps of work of one render (see the module's comment). A large
/// report takes a few thousand; the budget runs out in about a second.
pub const MAX_STEPS: usize = 1_000_000;

/// The steps of a partial's expansion, besides the values it copies.
pub const PARTIAL_STEPS: usize = 10;

/// The step helpers' names (they write nothing): one pass of a loop, and one
/// expansion of a partial (given `this`, the data copied for it).
const LOOP_STEP: &str = "baocao_buoc_vong_lap";
const PARTIAL_STEP: &str = "baocao_buoc_mau_con";

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// The markup passed [`MAX_OUTPUT_BYTES`].
    Output,
    /// More than [`MAX_STEPS`] steps.
    Steps,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Exceeded {}

impl Exceeded {
    /// What to tell the author.
    pub fn message(self) -> String {
        match self {
            Exceeded::Output => format!(
                "mẫu tạo ra quá nhiều văn bản (hơn {} MB): dừng ở đây",
                MAX_OUTPUT_BYTES >> 20
            ),
            Exceeded::Steps => format!(
                "mẫu lặp hoặc gọi mẫu con quá nhiều lần (hơn {} lần): dừng ở đây",
                group(MAX_STEPS)
            ),
        }
    }

    /// What to do about it.
    pub fn hint(self) -> &'static str {
        "kiểm tra các vòng {{#each}} lồng nhau và các mẫu con gọi nhau nhiều lần (mỗi lần gọi nhân số lần lặp lên)"
    }
}

/// `1000000` → `1.000.000`.
fn group(n: usize) -> String {
    crate::vn::format_number(&rust_decimal::Decimal::from(n), Some(0))
}

/// The budget that `e` reports running out, if it is one of ours.
pub fn exceeded(e: &RenderError) -> Option<Exceeded> {
    match e.reason() {
        RenderErrorReason::IOError(io) => io.get_ref()?.downcast_ref::<Exceeded>().copied(),
        RenderErrorReason::NestedError(inner) => inner.downcast_ref::<Exceeded>().copied(),
        _ => None,
    }
}

/// Put a step at the start of `t` and of every loop body and inline partial
/// inside it.
pub fn instrument(t: &mut Template) {
    let calls = step_element(LOOP_STEP).zip(step_element(&format!("{PARTIAL_STEP} this")));
    if let Some(((loop_call, start), (partial_call, _))) = calls {
        let calls = Calls {
            for_loop: loop_call,
            partial: partial_call,
            start,
        };
        instrument_at(t, Some((&calls.start, &calls.partial)), &calls);
    }
}

/// The compiled step calls, and the place "line 1, column 1".
struct Calls {
    for_loop: TemplateElement,
    partial: TemplateElement,
    start: TemplateMapping,
}

/// Go through the blocks of `t`, then put `step`'s call at its start, its
/// errors pointing at `step`'s place (no step for a block run once, such as
/// `{{#if}}`).
fn instrument_at(
    t: &mut Template,
    step: Option<(&TemplateMapping, &TemplateElement)>,
    calls: &Calls,
) {
    for (i, e) in t.elements.iter_mut().enumerate() {
        // The block's own tag: where a step of its body is reported.
        let at = t.mapping.get(i).unwrap_or(&calls.start);
        match e {
            TemplateElement::HelperBlock(h) => {
                let each =
                    matches!(&h.name, handlebars::template::Parameter::Name(n) if n == "each");
                if let Some(body) = h.template.as_mut() {
                    instrument_at(body, each.then_some((at, &calls.for_loop)), calls);
                }
                if let Some(inverse) = h.inverse.as_mut() {
                    instrument_at(inverse, None, calls);
                }
            }
            // `{{#*inline "name"}}`: an inline partial, a step each time it is used.
            TemplateElement::DecoratorBlock(d) => {
                if let Some(body) = d.template.as_mut() {
                    instrument_at(body, Some((at, &calls.partial)), calls);
                }
            }
            TemplateElement::PartialBlock(d) => {
                if let Some(body) = d.template.as_mut() {
                    instrument_at(body, None, calls);
                }
            }
            _ => {}
        }
    }
    if let Some((at, call)) = step {
        t.elements.insert(0, call.clone());
        t.mapping.insert(0, at.clone());
    }
}

/// The call `{{tag}}` as Handlebars compiles it, and its place (line 1,
/// column 1).
fn step_element(tag: &str) -> Option<(TemplateElement, TemplateMapping)> {
    let t = Template::compile(&format!("{{{{{tag}}}}}")).ok()?;
    match (t.elements.as_slice(), t.mapping.as_slice()) {
        ([e], [m]) => Some((e.clone(), m.clone())),
        _ => None,
    }
}

/// The work of one render so far.
#[derive(Default)]
struct Work {
    steps: AtomicUsize,
    /// Whether the main template has started: its own step, the first partial
    /// step of a render, copies nothing.
    started: AtomicBool,
}

/// A step helper of one render: counts, and stops the render past the budget.
struct Step<'a> {
    work: &'a Work,
    /// A partial's step: also count the values of its data (the parameter).
    partial: bool,
}

impl HelperDef for Step<'_> {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        let main = self.partial && !self.work.started.swap(true, Ordering::Relaxed);
        let steps = if self.partial && !main {
            PARTIAL_STEPS + h.param(0).map_or(0, |p| values(p.value(), MAX_STEPS))
        } else {
            1
        };
        if self.work.steps.fetch_add(steps, Ordering::Relaxed) + steps > MAX_STEPS {
            return Err(RenderErrorReason::NestedError(Box::new(Exceeded::Steps)).into());
        }
        Ok(())
    }
}

/// How many values `v` holds (itself, and those inside it), counting no
/// further than `limit`.
fn values(v: &Value, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        if n >= limit {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    n
}

/// Where Handlebars writes: a string that refuses to grow past the cap.
struct Capped {
    text: String,
}

impl Output for Capped {
    fn write(&mut self, seg: &str) -> std::io::Result<()> {
        if self.text.len().saturating_add(seg.len()) > MAX_OUTPUT_BYTES {
            return Err(std::io::Error::other(Exceeded::Output));
        }
        self.text.push_str(seg);
        Ok(())
    }
}

/// Render the registered template `name` with `data` within the budgets.
pub fn render(hb: &Handlebars<'static>, name: &str, data: &Value) -> Result<String, RenderError> {
    let template = hb
        .get_template(name)
        .ok_or_else(|| RenderError::from(RenderErrorReason::TemplateNotFound(name.to_string())))?;
    let ctx = Context::from(data.clone());
    let work = Work::default();
    let mut rc = RenderContext::new(template.name.as_ref());
    for (name, partial) in [(LOOP_STEP, false), (PARTIAL_STEP, true)] {
        let step = Step {
            work: &work,
            partial,
        };
        rc.register_local_helper(name, Box::new(step));
    }
    let mut out = Capped {
        text: String::new(),
    };
    template.render(hb, &ctx, &mut rc, &mut out)?;
    Ok(out.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(templates: &[(&str, &str)]) -> Handlebars<'static> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        for (name, text) in templates {
            let mut t = Template::compile(text).unwrap();
            t.name = Some(name.to_string());
            instrument(&mut t);
            hb.register_template(name, t);
        }
        hb
    }

    #[test]
    fn instrumented_templates_render_the_same_text() {
        let texts = [
            "a\n{{#each xs}}\n  - {{this}}\n{{/each}}\nb {{> p}}\n",
            "{{#each xs}}{{@index}}{{else}}none{{/each}}|{{#if y}}\n  {{y}}\n{{/if}}\n",
            "{{#*inline \"q\"}}\n[{{this}}]\n{{/inline}}\n{{#each xs}}\n  {{> q}}\n{{/each}}",
            "x\n  {{> p}}\ny {{#with z}}{{w}}{{/with}}",
        ];
        let data = serde_json::json!({"xs": [1, 2], "y": "Y", "z": {"w": "W"}});
        for text in texts {
            let mut plain = Handlebars::new();
            plain.set_strict_mode(true);
            plain.register_template_string("m", text).unwrap();
            plain
                .register_template_string("p", "P\n{{#each xs}}.{{/each}}\n")
                .unwrap();
            let hb = registry(&[("m", text), ("p", "P\n{{#each xs}}.{{/each}}\n")]);
            assert_eq!(
                render(&hb, "m", &data).unwrap(),
                plain.render("m", &data).unwrap()
            );
        }
    }

    #[test]
    fn nested_loops_stop_at_the_step_budget() {
        let text = "{{#each xs}}{{#each ../xs}}{{#each ../../xs}}{{#each ../../../xs}}{{/each}}{{/each}}{{/each}}{{/each}}";
        let xs: Vec<u32> = (0..100).collect();
        let hb = registry(&[("m", text)]);
        let e = render(&hb, "m", &serde_json::json!({ "xs": xs })).unwrap_err();
        assert_eq!(exceeded(&e), Some(Exceeded::Steps));
        assert_eq!(e.template_name.as_deref(), Some("m"));
        assert_eq!(e.line_no, Some(1));
        // The innermost loop's tag.
        assert_eq!(e.column_no, Some(text.rfind("{{#each").unwrap() + 1));
    }

    #[test]
    fn partials_count_and_output_is_capped() {
        let mut parts: Vec<(String, String)> = (0..30)
            .map(|i| {
                (
                    format!("p{i}"),
                    format!("{{{{> p{}}}}}{{{{> p{}}}}}", i + 1, i + 1),
                )
            })
            .collect();
        parts.push(("p30".to_string(), String::new()));
        let refs: Vec<(&str, &str)> = parts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let hb = registry(&refs);
        let e = render(&hb, "p0", &serde_json::json!({})).unwrap_err();
        assert_eq!(exceeded(&e), Some(Exceeded::Steps));

        let big = "x".repeat(1 << 20);
        let hb = registry(&[("m", "{{#each xs}}{{../big}}{{/each}}")]);
        let data = serde_json::json!({ "xs": (0..60).collect::<Vec<u32>>(), "big": big });
        let e = render(&hb, "m", &data).unwrap_err();
        assert_eq!(exceeded(&e), Some(Exceeded::Output));
        assert_eq!(e.template_name.as_deref(), Some("m"));
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group(1_000_000), "1.000.000");
        assert_eq!(group(50), "50");
    }
}
