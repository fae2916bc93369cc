//! The activity chart of topic and entity pages: briefs per month, from the first month with
//! briefs to the last, drawn by `partials/activity.html` as an inline SVG.
//!
//! The geometry is worked out here, in viewBox units rounded to tenths, so the template only
//! places what it is given and a site can restyle or replace it. Only periods with briefs get a
//! bar (months without are gaps), and the year labels are a dozen at most whatever the span, so
//! the work is linear in the subject's briefs, never in the months they span. Over more than ten
//! years a bar counts a year instead, or the bars would be too thin to see.

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{DateStyle, Locale};
use crate::model::{BriefId, Site};

/// The viewBox: 480 × 180 units, scaled to the width of the page (the stylesheet caps it at 480
/// px, where its labels are 18 px; they are 13 px on a 390 px phone).
const WIDTH: u32 = 480;
const HEIGHT: u32 = 180;
/// Where the tallest bar reaches, under the label of the maximum.
const TOP: u32 = 28;
/// The bars' base line: the tallest bar is `BASELINE - TOP` units high.
const BASELINE: u32 = 148;
/// The base line of the year labels.
const LABEL_Y: u32 = 172;
/// The room a year label needs: four digits at the template's font size of 18 are about 40
/// units wide, and a gap.
const LABEL_WIDTH: f64 = 48.0;
/// The room a month label needs ("Sep 2025"): over five months or fewer each month has it.
const MONTH_LABEL_WIDTH: f64 = 90.0;
/// The widest a bar gets, so a subject with two months of briefs does not draw two slabs.
const MAX_BAR: f64 = 40.0;
/// The longest span, in months, drawn a bar per month.
const MAX_MONTHS: i32 = 120;

/// A month numbered `year * 12 + month - 1` in the locale's words, `style` being
/// [`DateStyle::Month`] ("March 2025") or [`DateStyle::MonthShort`] ("Mar 2025"); `YYYY-MM` for
/// a month jiff cannot hold.
fn month_name(p: i32, locale: &Locale, style: DateStyle) -> String {
    let (year, month) = (p.div_euclid(12), p.rem_euclid(12) + 1);
    i16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, month as i8, 1).ok())
        .map(|d| locale.date(d, style))
        .unwrap_or_else(|| format!("{year:04}-{month:02}"))
}

/// `activity`, the template data of the chart.
#[derive(Serialize, Debug)]
pub struct Activity {
    /// What a bar counts: `month`, or `year` when the briefs span more than ten years.
    unit: &'static str,
    /// The number of briefs counted: the subject's, every page of it.
    total: usize,
    /// The first and last periods with briefs ("January 2025", or "2019" by year).
    first: String,
    last: String,
    /// The most briefs in one period, the top of the scale.
    max: usize,
    /// The most recent period with `max` briefs, and how many other periods have as many.
    busiest: Busiest,
    /// The viewBox's size, the line the tallest bar reaches, the bars' base line, and the base
    /// line of the year labels, in viewBox units.
    width: u32,
    height: u32,
    top: u32,
    baseline: u32,
    label_y: u32,
    /// One per period with briefs, oldest first.
    bars: Vec<Bar>,
    /// Labels under the base line, left to right: each month's over five months or fewer, else
    /// where each year starts.
    ticks: Vec<Tick>,
}

#[derive(Serialize, Debug)]
struct Busiest {
    label: String,
    count: usize,
    ties: usize,
}

/// A period with briefs and its bar.
#[derive(Serialize, Debug)]
struct Bar {
    /// `YYYY-MM` (or `YYYY`), for `<time datetime>`.
    key: String,
    /// "March 2025" (or "2025").
    label: String,
    count: usize,
    #[serde(serialize_with = "tenths")]
    x: f64,
    #[serde(serialize_with = "tenths")]
    y: f64,
    #[serde(serialize_with = "tenths")]
    width: f64,
    #[serde(serialize_with = "tenths")]
    height: f64,
}

/// A label under the base line, with a tick mark at `x`: a month's ("Mar 2025", `anchor`
/// `middle`) under its bar, or a year's (`start`) where the year (or the chart) starts.
#[derive(Serialize, Debug)]
struct Tick {
    #[serde(serialize_with = "tenths")]
    x: f64,
    label: String,
    anchor: &'static str,
}

/// The chart of these briefs (newest first, as subjects list them); none without briefs.
pub fn of(site: &Site, ids: &[BriefId], locale: &Locale) -> Option<Activity> {
    let buckets = buckets(ids.iter().rev().map(|&b| site.brief(b).doc.date.date));
    Activity::draw(&buckets, ids.len(), locale)
}

/// Briefs per period, oldest first, periods without briefs left out.
#[derive(Debug, PartialEq)]
struct Buckets {
    /// Whether the periods are years (the months span more than ten years).
    by_year: bool,
    /// `(period, briefs)`: months numbered `year * 12 + month - 1`, or years.
    counts: Vec<(i32, usize)>,
}

/// Counts dates per month, or per year over more than ten years. Dates oldest first take one
/// pass of the sort; any order is counted right.
fn buckets(dates: impl Iterator<Item = Date>) -> Buckets {
    let mut months: Vec<i32> = dates
        .map(|d| i32::from(d.year()) * 12 + i32::from(d.month()) - 1)
        .collect();
    months.sort_unstable();
    let by_year = match (months.first(), months.last()) {
        (Some(a), Some(b)) => b - a + 1 > MAX_MONTHS,
        _ => false,
    };
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for m in months {
        let p = if by_year { m.div_euclid(12) } else { m };
        match counts.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => counts.push((p, 1)),
        }
    }
    Buckets { by_year, counts }
}

/// Rounded to tenths: the chart's numbers print with one decimal at most.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A number rounded by [`tenth`], whole numbers without their `.0`.
fn tenths<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

impl Activity {
    fn draw(b: &Buckets, total: usize, locale: &Locale) -> Option<Activity> {
        let (&(first, _), &(last, _)) = (b.counts.first()?, b.counts.last()?);
        let by_year = b.by_year;
        let label = |p: i32| {
            if by_year {
                p.to_string()
            } else {
                month_name(p, locale, DateStyle::Month)
            }
        };
        let key = |p: i32| {
            if by_year {
                format!("{p:04}")
            } else {
                format!("{:04}-{:02}", p.div_euclid(12), p.rem_euclid(12) + 1)
            }
        };
        let slot = f64::from(WIDTH) / f64::from(last - first + 1);
        let bar_width = (slot * 0.8).min(MAX_BAR);
        let max = b.counts.iter().map(|&(_, n)| n).max().unwrap_or(1);
        let plot = f64::from(BASELINE - TOP);
        let bars = b
            .counts
            .iter()
            .map(|&(p, n)| {
                // A single brief among thousands still shows.
                let height = tenth((n as f64 / max as f64 * plot).max(1.0));
                Bar {
                    key: key(p),
                    label: label(p),
                    count: n,
                    x: tenth(f64::from(p - first) * slot + (slot - bar_width) / 2.0),
                    y: tenth(f64::from(BASELINE) - height),
                    width: tenth(bar_width),
                    height,
                }
            })
            .collect();
        let (busiest, _) = b
            .counts
            .iter()
            .copied()
            .max_by_key(|&(p, n)| (n, p))
            .unwrap_or((first, max));
        Some(Activity {
            unit: if by_year { "year" } else { "month" },
            total,
            first: label(first),
            last: label(last),
            max,
            busiest: Busiest {
                label: label(busiest),
                count: max,
                ties: b.counts.iter().filter(|&&(_, n)| n == max).count() - 1,
            },
            width: WIDTH,
            height: HEIGHT,
            top: TOP,
            baseline: BASELINE,
            label_y: LABEL_Y,
            bars,
            ticks: ticks(first, last, by_year, slot, locale),
        })
    }
}

/// The labels under the bars: each month's when each has room (five months at most), else where
/// each year starts (the first at the chart's left edge), every year when counting months (ten
/// at most, by [`MAX_MONTHS`]) and every 2, 5, 10, 20… years when counting years, so that they
/// fit. A year label without room before the next one is left out.
fn ticks(first: i32, last: i32, by_year: bool, slot: f64, locale: &Locale) -> Vec<Tick> {
    if !by_year && slot >= MONTH_LABEL_WIDTH {
        return (first..=last)
            .map(|m| Tick {
                x: tenth((f64::from(m - first) + 0.5) * slot),
                label: month_name(m, locale, DateStyle::MonthShort),
                anchor: "middle",
            })
            .collect();
    }
    let (first_year, last_year, per_year) = if by_year {
        (first, last, 1)
    } else {
        (first.div_euclid(12), last.div_euclid(12), 12)
    };
    let room = slot * f64::from(per_year);
    // 1, 2, 5, 10, 20, 50… years, the first with room for its labels.
    let (mut step, mut scale) = (1, 1);
    while room * f64::from(step) < LABEL_WIDTH && step <= last_year - first_year {
        step = match step / scale {
            1 => 2 * scale,
            2 => 5 * scale,
            _ => {
                scale *= 10;
                scale
            }
        };
    }
    let start = |y: i32| (f64::from((y * per_year - first).max(0)) * slot, y);
    let mut at: Vec<(f64, i32)> = vec![start(first_year)];
    let mut y = (first_year.div_euclid(step) + 1) * step;
    while y <= last_year {
        at.push(start(y));
        y += step;
    }
    let width = f64::from(WIDTH);
    at.iter()
        .enumerate()
        .filter(|&(i, &(x, _))| at.get(i + 1).map_or(width, |n| n.0) - x >= LABEL_WIDTH)
        .map(|(_, &(x, y))| Tick {
            x: tenth(x),
            label: y.to_string(),
            anchor: "start",
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> &'static Locale {
        crate::i18n::builtin().get("en")
    }

    fn dates(ymd: &[(i16, i8)]) -> impl Iterator<Item = Date> + '_ {
        ymd.iter()
            .map(|&(y, m)| Date::new(y, m, 15).expect("a date"))
    }

    fn month(y: i32, m: i32) -> i32 {
        y * 12 + m - 1
    }

    #[test]
    fn months_without_briefs_are_gaps() {
        // Newest first, as subjects list their briefs.
        let b = buckets(dates(&[(2025, 6), (2025, 3), (2025, 1), (2025, 1)]));
        assert_eq!(
            b,
            Buckets {
                by_year: false,
                counts: vec![
                    (month(2025, 1), 2),
                    (month(2025, 3), 1),
                    (month(2025, 6), 1)
                ],
            }
        );
        let a = Activity::draw(&b, 4, en()).expect("a chart");
        assert_eq!(
            (a.first.as_str(), a.last.as_str()),
            ("January 2025", "June 2025")
        );
        assert_eq!(
            (a.busiest.label.as_str(), a.busiest.count),
            ("January 2025", 2)
        );
        // Six months of 80 units each: bars 40 wide centred on their month, the gaps empty.
        let xs: Vec<f64> = a.bars.iter().map(|b| b.x).collect();
        assert_eq!(xs, [20.0, 180.0, 420.0]);
        assert!(a.bars.iter().all(|b| b.width == 40.0));
        let heights: Vec<f64> = a.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights, [120.0, 60.0, 60.0]);
        assert!(a.bars.iter().all(|b| b.y + b.height == 148.0));
        assert_eq!(a.bars[1].key, "2025-03");
        assert_eq!(a.bars[1].label, "March 2025");
        // Six months have no room for a label each: the year alone, where the chart starts.
        let labels: Vec<(&str, f64, &str)> = a
            .ticks
            .iter()
            .map(|t| (t.label.as_str(), t.x, t.anchor))
            .collect();
        assert_eq!(labels, [("2025", 0.0, "start")]);
        // Five have, each under its bar.
        let a = Activity::draw(&buckets(dates(&[(2025, 5), (2025, 1)])), 2, en()).expect("a chart");
        let labels: Vec<(&str, f64)> = a.ticks.iter().map(|t| (t.label.as_str(), t.x)).collect();
        assert_eq!(labels.len(), 5);
        assert_eq!(labels[0], ("Jan 2025", 48.0));
        assert_eq!(labels[4], ("May 2025", 432.0));
        assert_eq!(a.bars[1].x + a.bars[1].width / 2.0, 432.0);
    }

    #[test]
    fn ten_years_are_months_and_more_are_years() {
        let ten = buckets(dates(&[(2015, 1), (2024, 12)]));
        assert!(!ten.by_year);
        let a = Activity::draw(&ten, 2, en()).expect("a chart");
        assert_eq!(a.unit, "month");
        assert_eq!(a.bars.len(), 2);
        // A year is 48 units wide: room for a label each, where the year starts.
        let labels: Vec<(&str, f64)> = a.ticks.iter().map(|t| (t.label.as_str(), t.x)).collect();
        assert_eq!(labels.len(), 10);
        assert_eq!(labels[0], ("2015", 0.0));
        assert_eq!(labels[9], ("2024", 432.0));

        let more = buckets(dates(&[(2025, 3), (2024, 12), (2024, 1), (2005, 6)]));
        assert_eq!(
            more,
            Buckets {
                by_year: true,
                counts: vec![(2005, 1), (2024, 2), (2025, 1)],
            }
        );
        let a = Activity::draw(&more, 4, en()).expect("a chart");
        assert_eq!(a.unit, "year");
        assert_eq!((a.first.as_str(), a.last.as_str()), ("2005", "2025"));
        assert_eq!(a.bars[1].key, "2024");
        assert_eq!((a.busiest.label.as_str(), a.busiest.ties), ("2024", 0));
        // 21 years in 480 units: a label every five years, the last without room to the edge.
        let labels: Vec<&str> = a.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["2005", "2010", "2015", "2020"]);
    }

    #[test]
    fn the_drawing_does_not_grow_with_the_span() {
        // Three briefs two thousand years apart: three bars and a few labels.
        let b = buckets(dates(&[(2025, 1), (1025, 1), (25, 1)]));
        let a = Activity::draw(&b, 3, en()).expect("a chart");
        assert_eq!(a.bars.len(), 3);
        assert!(a.ticks.len() <= 12, "{:?}", a.ticks);
        assert!(a.ticks.windows(2).all(|w| w[1].x - w[0].x >= LABEL_WIDTH));
        assert!(a.bars.iter().all(|b| b.height >= 1.0 && b.width > 0.0));
        // Every number has one decimal at most.
        for b in &a.bars {
            for v in [b.x, b.y, b.width, b.height] {
                assert_eq!(tenth(v), v);
            }
        }
        assert!(Activity::draw(&buckets(std::iter::empty()), 0, en()).is_none());
    }

    #[test]
    fn a_single_brief_among_many_still_shows_and_ties_are_counted() {
        let mut d = vec![(2025, 2); 1000];
        d.push((2025, 1));
        let a = Activity::draw(&buckets(dates(&d)), 1001, en()).expect("a chart");
        assert_eq!(a.bars[0].height, 1.0);
        assert_eq!(a.bars[1].height, 120.0);
        let a = Activity::draw(&buckets(dates(&[(2025, 3), (2025, 1)])), 2, en()).expect("a chart");
        assert_eq!(
            (a.busiest.label.as_str(), a.busiest.ties),
            ("March 2025", 1)
        );
    }
}
