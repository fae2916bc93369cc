//! Template data of each page kind, one module each: adding a page kind is one new module here,
//! one [`crate::layout::Output`] variant and its dependencies in [`crate::deps`].

pub mod archive;
pub mod author;
pub mod authors;
pub mod brief;
pub mod corrections;
pub mod entities;
pub mod entity;
pub mod index;
pub mod outlet;
pub mod outlets;
pub mod page;
pub mod paginator;
pub mod redirect;
pub mod timeline;
pub mod topic;
pub mod topics;

use super::Renderer;
use super::data::TopicData;

/// Every topic with its count and latest brief: the front page's and `topics.html`'s list.
fn topic_list<'s>(r: &Renderer<'s>) -> Vec<TopicData<'s>> {
    r.site
        .topics
        .iter()
        .map(|t| TopicData::of(t, t.briefs.first().map(|&b| r.card(b))))
        .collect()
}

/// A topic's data with its latest brief's card.
fn topic_data<'s>(r: &Renderer<'s>, t: crate::model::TopicId) -> TopicData<'s> {
    let topic = r.site.topic(t);
    TopicData::of(topic, topic.briefs.first().map(|&b| r.card(b)))
}
