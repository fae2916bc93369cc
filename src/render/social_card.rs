//! `briefs/<slug>/card.png`: a brief's social card, drawn from the `social-card.svg` template.
//!
//! The template gets `site`, `card` (the brief's card, as listings show it) and `title` (the
//! title broken into lines that fit, see [`layout_title`]); the SVG it makes is drawn to a
//! 1200×630 PNG by [`crate::images::social`], or taken from the cache when the same SVG was
//! drawn before.

use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::images::social::layout_title;
use crate::model::BriefId;
use crate::render::Renderer;

/// The template a social card is drawn from.
pub const TEMPLATE: &str = "social-card.svg";

pub fn png(r: &Renderer<'_>, id: BriefId) -> Result<Vec<u8>, Diagnostic> {
    let b = r.site.brief(id);
    let mut ctx = Context::new();
    ctx.insert_value("site", r.site_value.clone());
    ctx.insert_value("lang", r.lang.clone());
    ctx.insert_value("msg", r.msg.clone());
    ctx.insert_value("card", r.card(id));
    ctx.insert("title", &layout_title(b.title()));
    let svg = r.templates.render(TEMPLATE, &ctx)?;
    let svg = String::from_utf8_lossy(&svg);
    r.painter.png(&svg).map_err(|e| {
        Diagnostic::error(
            r.templates.display_path(TEMPLATE),
            format!(
                "template {TEMPLATE} makes an SVG that cannot be drawn for {}: {e}",
                b.source().display()
            ),
        )
        .with_code("template")
        .with_help("the template must make one well-formed <svg> element")
    })
}
