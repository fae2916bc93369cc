//! Related briefs and related entities, scored through inverted indexes.
//!
//! Each brief only looks at briefs that share a term with it, and at most [`RELATED_WINDOW`] of
//! them per term (the nearest in date), so the cost stays linear in the number of briefs.

use rayon::prelude::*;

use super::{BriefId, Catalog, EntityId, EntityKind, TopicId};

/// How many briefs related-brief scoring looks at per shared term: the ones nearest in date.
pub const RELATED_WINDOW: usize = 64;
/// How many related briefs a brief lists.
pub const RELATED_COUNT: usize = 5;
/// How many related entities an entity lists.
pub const RELATED_ENTITIES: usize = 8;

/// Each brief's related briefs, best first.
///
/// A shared topic weighs 3, a shared person, place or organization 2, a shared tag 1. For each
/// term only the [`RELATED_WINDOW`] briefs nearest in date are scored, which keeps the work per
/// brief bounded even for terms with thousands of briefs.
pub fn briefs(catalog: &Catalog) -> Vec<Vec<BriefId>> {
    let n = catalog.brief_topics.len();
    (0..n)
        .into_par_iter()
        .map_init(
            // Per-worker scratch: a score per brief, and which scores are set, so a brief's
            // candidates are summed in time linear in their number, with no sort or hashing.
            || (vec![0u32; n], Vec::<usize>::new()),
            |(scores, touched), id| {
                let me = BriefId::new(id);
                let mut add = |postings: &[BriefId], weight: u32| {
                    // Postings are sorted by id, which is date order.
                    let pos = postings.binary_search(&me).unwrap_or_else(|p| p);
                    let half = RELATED_WINDOW / 2;
                    let start = pos.saturating_sub(half);
                    let end = (pos + half + 1).min(postings.len());
                    for &o in &postings[start..end] {
                        let o = o.index();
                        if o != id {
                            if scores[o] == 0 {
                                touched.push(o);
                            }
                            scores[o] += weight;
                        }
                    }
                };
                for &t in &catalog.brief_topics[id] {
                    add(&catalog.topic_briefs[t.index()], 3);
                }
                for kind in EntityKind::ALL {
                    let weight = if kind == EntityKind::Tags { 1 } else { 2 };
                    for &e in &catalog.brief_entities[id][kind.index()] {
                        add(&catalog.entities[kind.index()][e.index()].briefs, weight);
                    }
                }
                let ranked: Vec<(usize, u32)> = touched
                    .drain(..)
                    .map(|o| (o, std::mem::take(&mut scores[o])))
                    .collect();
                // Highest score first; among equals, nearest in date, then newest.
                top(ranked, RELATED_COUNT, |a, b| {
                    b.1.cmp(&a.1)
                        .then(a.0.abs_diff(id).cmp(&b.0.abs_diff(id)))
                        .then(a.0.cmp(&b.0))
                })
                .into_iter()
                .map(|(b, _)| BriefId::new(b))
                .collect()
            },
        )
        .collect()
}

/// For each entity, per kind, the entities that share the most briefs with it.
#[allow(clippy::type_complexity)]
pub fn entities(catalog: &Catalog) -> [Vec<Vec<(EntityKind, EntityId, usize)>>; 4] {
    EntityKind::ALL.map(|kind| {
        catalog.entities[kind.index()]
            .par_iter()
            .enumerate()
            .map(|(me, e)| {
                let me = EntityId::new(me);
                let mut hits: Vec<((EntityKind, EntityId), u32)> = Vec::new();
                for &b in &e.briefs {
                    for other_kind in EntityKind::ALL {
                        for &o in &catalog.brief_entities[b.index()][other_kind.index()] {
                            if !(other_kind == kind && o == me) {
                                hits.push(((other_kind, o), 1));
                            }
                        }
                    }
                }
                let ranked = sum_runs(hits);
                top(ranked, RELATED_ENTITIES, |a, b| {
                    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
                })
                .into_iter()
                .map(|((k, id), n)| (k, id, n as usize))
                .collect()
            })
            .collect()
    })
}

/// For each entity, per kind, the topics of its briefs with how many of its briefs each holds:
/// most first, then in the site's order of topics (topic ids follow it).
///
/// One pass over the briefs, per entity of the brief, per topic of the brief. An entity's list
/// is searched linearly: it holds at most one slot per topic of the site, a handful in practice.
pub fn entity_topics(catalog: &Catalog) -> [Vec<Vec<(TopicId, usize)>>; 4] {
    let mut out: [Vec<Vec<(TopicId, usize)>>; 4] =
        EntityKind::ALL.map(|kind| vec![Vec::new(); catalog.entities[kind.index()].len()]);
    for (topics, entities) in catalog.brief_topics.iter().zip(&catalog.brief_entities) {
        for kind in EntityKind::ALL {
            for &e in &entities[kind.index()] {
                let counts = &mut out[kind.index()][e.index()];
                for &t in topics {
                    match counts.iter_mut().find(|(seen, _)| *seen == t) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((t, 1)),
                    }
                }
            }
        }
    }
    for lists in &mut out {
        lists.par_iter_mut().for_each(|counts| {
            counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        });
    }
    out
}

/// Sums the weights of equal keys.
fn sum_runs<K: Ord + Copy>(mut hits: Vec<(K, u32)>) -> Vec<(K, u32)> {
    hits.sort_unstable_by_key(|h| h.0);
    let mut out: Vec<(K, u32)> = Vec::with_capacity(hits.len());
    for (k, w) in hits {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += w,
            _ => out.push((k, w)),
        }
    }
    out
}

/// The `n` smallest items by `cmp`, sorted, without sorting the whole list.
fn top<T>(mut items: Vec<T>, n: usize, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if items.len() > n {
        items.select_nth_unstable_by(n, &cmp);
        items.truncate(n);
    }
    items.sort_unstable_by(&cmp);
    items
}
