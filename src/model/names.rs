//! Which spelling of a name to show when briefs write it several ways (`Dmitry Peskov`,
//! `DMITRY PESKOV`): the most frequent one, ties going to the spelling met in the earliest brief.
//! Never the newest brief's, so one new brief with an odd spelling cannot rename a page, and the
//! choice does not depend on the order files are read in.

/// The spellings of one name and how often each is used. Few per name, so a plain list.
#[derive(Debug, Default, Clone)]
pub struct Spellings<'a> {
    /// (spelling, uses, position of the earliest brief using it, of the newest). Briefs are
    /// numbered newest first, so the earliest brief has the highest position.
    seen: Vec<(&'a str, u32, usize, usize)>,
}

impl<'a> Spellings<'a> {
    /// Counts one use of `spelling` by the brief at `brief` (its position, newest first).
    pub fn add(&mut self, spelling: &'a str, brief: usize) {
        match self.seen.iter_mut().find(|(s, ..)| *s == spelling) {
            Some((_, uses, earliest, newest)) => {
                *uses += 1;
                *earliest = (*earliest).max(brief);
                *newest = (*newest).min(brief);
            }
            None => self.seen.push((spelling, 1, brief, brief)),
        }
    }

    /// The spelling to show: most uses, then earliest brief, then the smaller string (two
    /// spellings in one brief). `None` if nothing was added.
    pub fn best(&self) -> Option<&'a str> {
        self.seen
            .iter()
            .max_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)).then_with(|| b.0.cmp(a.0)))
            .map(|(s, ..)| *s)
    }

    /// Every spelling with the position of the newest brief using it, in the order first added.
    pub fn all(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.seen.iter().map(|&(s, _, _, newest)| (s, newest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_wins_then_earliest_brief() {
        let mut s = Spellings::default();
        // Positions: 0 is the newest brief.
        s.add("DMITRY PESKOV", 0);
        s.add("Dmitry Peskov", 1);
        s.add("Dmitry Peskov", 2);
        assert_eq!(s.best(), Some("Dmitry Peskov"));

        let mut tie = Spellings::default();
        tie.add("Newer", 0);
        tie.add("Older", 5);
        assert_eq!(tie.best(), Some("Older"));
        // Added in the other order, the same answer.
        let mut tie = Spellings::default();
        tie.add("Older", 5);
        tie.add("Newer", 0);
        assert_eq!(tie.best(), Some("Older"));

        let mut same = Spellings::default();
        same.add("b", 3);
        same.add("a", 3);
        assert_eq!(same.best(), Some("a"));
        assert_eq!(Spellings::default().best(), None);
    }
}
