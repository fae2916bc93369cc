//! `topics/index.html`: every topic with its count and latest brief.

use tera::Context;

use crate::render::Renderer;

pub fn data(r: &Renderer<'_>, ctx: &mut Context) {
    ctx.insert("topics", &super::topic_list(r));
}
