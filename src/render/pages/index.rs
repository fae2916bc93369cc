//! `index.html`: the front page, with the latest briefs and every topic.

use tera::{Context, Value};

use crate::model::BriefId;
use crate::render::Renderer;

pub fn data(r: &Renderer<'_>, ctx: &mut Context) {
    let n = r.site.config.front_page_briefs.min(r.site.briefs.len());
    let latest: Vec<Value> = (0..n).map(|b| r.card(BriefId::new(b))).collect();
    ctx.insert_value("latest", Value::from(latest));
    ctx.insert("topics", &super::topic_list(r));
}
