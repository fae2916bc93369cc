//! A synthetic news-briefing site, generated in memory and written in briefing's site format.
//!
//! It exists so the benchmarks and the integration tests need nothing outside the repository: a
//! Rust port of the essentials of `../shared/bench/gen_corpus.py` (same word lists, pool sizes,
//! Zipf-like popularity of names, body shapes and word counts), deterministic for a seed through
//! a small SplitMix64 generator instead of Python's Mersenne Twister, so the text differs from the
//! Python corpus but its shape, page counts and build cost match.
//!
//! [`Corpus::new`] makes the site (5 base topics plus `n / 200` more; `n` briefs of 300–900
//! words with 1–3 topics, 1–4 people, 1–3 places, 0–2 organizations, 0–4 tags and 1–2 sources,
//! dated 2019–2025, with 1–3 links to earlier briefs); [`Corpus::write`] puts it on disk;
//! [`generate`] does both. Links between briefs are kept as brief indexes ([`Segment::Link`]) and
//! turned into relative `.md` paths only when a brief is written, so a test can rename or delete
//! briefs and write their linkers again.
//!
//! Included with `#[path = "…"] mod corpus;` by `benches/` and `tests/it/`.

// Each includer uses a different part of the module.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// Writes a corpus of `n` briefs for `seed` into `dir` (created if needed) and returns it.
pub fn generate(dir: &Path, n: usize, seed: u64) -> Corpus {
    let corpus = Corpus::new(n, seed);
    corpus.write(dir);
    corpus
}

/// A whole generated site, in memory.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub n: usize,
    pub seed: u64,
    pub topics: Vec<Topic>,
    /// Sorted by date (then slug), so a brief's links, which point at earlier briefs, point at
    /// lower indexes.
    pub briefs: Vec<Brief>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// Path under `content/briefs/`, `/`-separated: `YYYY/MM/YYYY-MM-DD-<slug>.md`.
    pub file: String,
    pub slug: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub topics: Vec<String>,
    pub summary: String,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub organizations: Vec<String>,
    pub tags: Vec<String>,
    /// The byline; the generator leaves it empty (the site's `author` signs every brief), as
    /// `gen_corpus.py` does, and tests may fill it.
    pub authors: Vec<String>,
    /// `(name, url)`.
    pub sources: Vec<(String, String)>,
    pub status: &'static str,
    /// Old slugs that redirect to the brief (never generated; the incremental tests add them).
    pub aliases: Vec<String>,
    pub body: Vec<Segment>,
    /// Words of prose in the body, as the Python generator counts them.
    pub words: usize,
}

/// A piece of a brief's Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Text(String),
    /// `[text](relative path of brief `target`)`, or just `text` when the target is gone.
    Link {
        text: String,
        target: usize,
    },
}

pub const SITE_TITLE: &str = "Synthetic Briefing Desk";
pub const BASE_URL: &str = "https://bench.example.org";

impl Corpus {
    /// Makes the site for `n` briefs and `seed`; the same arguments give the same corpus.
    pub fn new(n: usize, seed: u64) -> Corpus {
        let mut rng = Rng::new(seed);
        let (topics, pools) = build_pools(&mut rng, n);
        let mut briefs = make_briefs(&mut rng, n, &pools);
        briefs.sort_by(|a, b| (&a.date, &a.slug).cmp(&(&b.date, &b.slug)));
        let links = link_targets(&mut rng, &briefs);
        for (i, targets) in links.into_iter().enumerate() {
            let titles: Vec<(usize, String)> = targets
                .iter()
                .map(|&j| (j, briefs[j].title.clone()))
                .collect();
            let (body, words) = Writer::new(&mut rng, &briefs[i], titles).body();
            briefs[i].body = body;
            briefs[i].words = words;
        }
        Corpus {
            n,
            seed,
            topics,
            briefs,
        }
    }

    /// Writes `site.toml`, the topics, the about page and every brief under `dir`.
    pub fn write(&self, dir: &Path) {
        write_file(dir, "site.toml", &self.site_toml());
        for t in &self.topics {
            write_file(dir, &format!("content/topics/{}.md", t.slug), &t.markdown());
        }
        write_file(dir, "content/pages/about.md", ABOUT);
        for b in &self.briefs {
            write_file(dir, &b.path(), &b.markdown(|j| Some(&self.briefs[j].file)));
        }
    }

    pub fn site_toml(&self) -> String {
        format!(
            "title = \"{SITE_TITLE}\"\ndescription = \"Synthetic corpus of {} briefs (seed {}) \
             for benchmarking.\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"en\"\n\
             author = \"tests/corpus\"\n",
            self.n, self.seed
        )
    }

    /// Words of prose over all briefs.
    pub fn words(&self) -> usize {
        self.briefs.iter().map(|b| b.words).sum()
    }
}

impl Topic {
    pub fn markdown(&self) -> String {
        format!(
            "---\ntitle: {}\nsummary: {}\norder: {}\n---\n\n{} This page lists every brief \
             filed under *{}* (`{}`), newest first.\n",
            q(&self.title),
            q(&self.summary),
            self.order,
            self.summary,
            self.title,
            self.slug
        )
    }
}

impl Brief {
    /// The brief's path relative to the site root.
    pub fn path(&self) -> String {
        format!("content/briefs/{}", self.file)
    }

    /// The output page of the brief, relative to the output folder.
    pub fn page(&self) -> String {
        format!("briefs/{}/index.html", self.slug)
    }

    /// Front matter and body. `target` gives the file (under `content/briefs/`) of a linked
    /// brief, or `None` when it is gone, which leaves the link's text without the link.
    pub fn markdown<'a>(&self, target: impl Fn(usize) -> Option<&'a String>) -> String {
        let mut out = self.front_matter();
        out.push('\n');
        for segment in &self.body {
            match segment {
                Segment::Text(t) => out.push_str(t),
                Segment::Link { text, target: j } => match target(*j) {
                    Some(file) => {
                        let _ = write!(out, "[{text}]({})", relpath(&self.file, file));
                    }
                    None => out.push_str(text),
                },
            }
        }
        out
    }

    pub fn front_matter(&self) -> String {
        let mut lines = vec![
            "---".to_string(),
            format!("title: {}", q(&self.title)),
            format!("date: {}", self.date),
            format!("topics: {}", qlist(&self.topics)),
            format!("summary: {}", q(&self.summary)),
        ];
        for (key, values) in [
            ("people", &self.people),
            ("places", &self.places),
            ("organizations", &self.organizations),
            ("tags", &self.tags),
            ("authors", &self.authors),
        ] {
            if !values.is_empty() {
                lines.push(format!("{key}: {}", qlist(values)));
            }
        }
        if !self.aliases.is_empty() {
            lines.push(format!("aliases: {}", qlist(&self.aliases)));
        }
        lines.push("sources:".into());
        for (name, url) in &self.sources {
            lines.push(format!("  - name: {}", q(name)));
            lines.push(format!("    url: {}", q(url)));
        }
        lines.push(format!("status: {}", self.status));
        lines.push("---".into());
        lines.push(String::new());
        lines.join("\n")
    }

    /// Indexes of the briefs this one links to.
    pub fn links(&self) -> impl Iterator<Item = usize> + '_ {
        self.body.iter().filter_map(|s| match s {
            Segment::Link { target, .. } => Some(*target),
            Segment::Text(_) => None,
        })
    }
}

/// Writes `text` at `rel` under `dir`, creating folders.
pub fn write_file(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The path of `to` relative to the folder of `from`; both `/`-separated and relative to the
/// same folder.
pub fn relpath(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Lower-case ASCII letters and digits, runs of anything else made one `-`, none at the ends.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A double-quoted scalar, valid both as YAML and as a TOML basic string.
pub fn q(value: &str) -> String {
    // OK because serialising a string to JSON cannot fail.
    serde_json::to_string(value).expect("a string serialises")
}

fn qlist(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| q(v)).collect();
    format!("[{}]", items.join(", "))
}

/// SplitMix64: tiny, fast, and good enough for text; no dependency, same stream everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-and-shift (bias below 2^-32 for our sizes).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

// ---- Word lists (as in gen_corpus.py) ----------------------------------------------------------

const BASE_TOPICS: [(&str, &str, &str); 5] = [
    (
        "us-russia",
        "US–Russia ties",
        "Contacts, talks and friction between Washington and Moscow.",
    ),
    (
        "ukraine",
        "Ukraine",
        "The war and the talks around ending it.",
    ),
    (
        "syria",
        "Syria",
        "Renewed clashes and calls for UN Security Council consultations.",
    ),
    (
        "iran",
        "Iran",
        "Iran's nuclear programme and the diplomacy around it.",
    ),
    (
        "uk-expulsions",
        "UK expulsions",
        "Tit-for-tat expulsions of British diplomats from Russia.",
    ),
];
const REGIONS: &str = "Baltic Caucasus Sahel Arctic Black-Sea Central-Asia Balkans Horn-of-Africa \
    Gulf Levant Korean-Peninsula South-China-Sea Andean Great-Lakes Maghreb Danube Caspian \
    Red-Sea Mekong Pacific Nordic Iberian Carpathian Adriatic";
const THEMES: &str = "energy security elections trade migration shipping sanctions water food \
    cyber space health finance railways ports minerals fisheries aviation grain nuclear media \
    courts borders telecoms";
const FIRST_NAMES: &str = "Alexei Amir Anna Boris Carla Daniel Dina Elena Emre Farid Fatima \
    Gregor Hana Igor Ilya Ines Jonas Julia Karim Katya Laila Leon Lucia Maksim Marta Mehmet Mila \
    Nadia Nikolai Nora Oleg Olga Omar Pavel Petra Rania Roman Sara Selim Sofia Tamar Timur Vera \
    Viktor Yara Yusuf Zara Zoran Andrei Beatrix Cyrus Darya Edgar Farah Goran Helena Ivan Jana \
    Kamal Larisa Marek Nina Oskar Parisa Rustam Samir Tanya Ugo Valeria Walid Xenia Yasmin Zeynep";
const SURNAME_HEADS: &str = "Vol Bel Kar Mor Dan Pet Sok Lav Ros Tar Mel Grin Kov Sad Has Nas \
    Rah Far Mir Zam Or Ash Bak Dur Fed Gor Hal Ism Jab Kaz Lem Mak Nov Ost Pol Rud Sav Tim Ul Var \
    Yel Zor";
const SURNAME_TAILS: &str = "enko ov ova in ina ski ska ich ic adze yan yev ani ati ashvili ovic \
    ez er ing ssen berg man oglu zadeh ari uddin";
const PLACES: &str = "Moscow Kyiv Washington London Riyadh Istanbul Damascus Tehran Geneva \
    Brussels Vienna Ankara Doha Kharkiv Odesa Aleppo Idlib Latakia Isfahan Natanz Minsk Warsaw \
    Helsinki Tallinn Riga Vilnius Berlin Paris Beijing Cairo Baghdad Beirut Amman Baku Yerevan \
    Tbilisi Astana Tashkent Sevastopol Donetsk Zaporizhzhia Kherson Mariupol Kursk Belgorod \
    Kaliningrad Murmansk Muscat Jeddah Oslo Stockholm Copenhagen Rome Madrid Tokyo Homs Tartus \
    Bushehr Dnipro";
const PLACE_HEADS: &str = "Nov Stara Bel Krasn Zel Ust Vysok Dal Kam Sol Tor Mar Gor Lis Ozer \
    Sever Yuzh Pol Rech Les Svet Bor Zar Kal";
const PLACE_MIDS: [&str; 8] = ["", "", "o", "a", "en", "ir", "ov", "ul"];
const PLACE_TAILS: &str = "grad sk ovo abad iyah pol ino evo ka mar dorf kent stan burg";
const PLACE_PREFIXES: [&str; 8] = ["", "", "", "", "New ", "Port ", "Upper ", "Lower "];
const ORGS: [&str; 24] = [
    "Kremlin",
    "White House",
    "State Department",
    "Foreign Office",
    "UN Security Council",
    "IAEA",
    "NATO",
    "European Union",
    "OSCE",
    "Red Cross",
    "World Bank",
    "IMF",
    "Arab League",
    "African Union",
    "Gulf Cooperation Council",
    "OPEC",
    "UNHCR",
    "World Health Organization",
    "Interpol",
    "G7",
    "G20",
    "Council of Europe",
    "European Commission",
    "UN General Assembly",
];
/// `{}` is replaced by a subject or a place.
const ORG_KINDS: [&str; 8] = [
    "Institute for {} Studies",
    "{} Council",
    "Ministry of {}",
    "{} Agency",
    "{} Monitoring Group",
    "{} Commission",
    "Centre for {} Policy",
    "{} Foundation",
];
const ORG_SUBJECTS: &str = "Energy Security Maritime Border Strategic Regional Nuclear \
    Humanitarian Eastern Trade Arms-Control Migration Cyber Transit Election Reconstruction";
const TAGS: &str = "sanctions diplomacy ceasefire energy nuclear embassies prisoners grain drones \
    elections espionage refugees humanitarian-aid gas oil shipping talks summit cyber air-defence \
    mediation inspections visas expulsions reconstruction mines naval courts media";
const TAG_MODS: &str = "regional maritime civil military economic legal border urban rural \
    coastal northern southern eastern western cross-border";
const OUTLETS: [(&str, &str); 12] = [
    ("Anadolu Ajansı", "aa"),
    ("Reuters", "reuters"),
    ("Associated Press", "apnews"),
    ("Agence France-Presse", "afp"),
    ("BBC News", "bbc"),
    ("TASS", "tass"),
    ("Interfax", "interfax"),
    ("Kyiv Independent", "kyivindependent"),
    ("Al Jazeera", "aljazeera"),
    ("Deutsche Welle", "dw"),
    ("Ukrinform", "ukrinform"),
    ("The Guardian", "guardian"),
];
const STATUSES: [(&str, usize); 4] = [
    ("confirmed", 60),
    ("developing", 80),
    ("disputed", 92),
    ("denied", 100),
];
const NOUNS: [&str; 38] = [
    "ceasefire talks",
    "prisoner exchange",
    "embassy staffing",
    "sanctions relief",
    "grain corridor",
    "gas transit deal",
    "nuclear inspections",
    "aid convoy",
    "border crossing",
    "peace framework",
    "security guarantees",
    "visa restrictions",
    "debt talks",
    "energy exports",
    "air defence deliveries",
    "reconstruction plan",
    "election timetable",
    "naval patrols",
    "trade channel",
    "consular access",
    "troop withdrawal",
    "monitoring mission",
    "arms control dialogue",
    "uranium enrichment",
    "diplomatic expulsions",
    "refugee returns",
    "port reopening",
    "shipping insurance",
    "frozen assets",
    "oil price cap",
    "rail link",
    "demining effort",
    "power grid repairs",
    "hostage release",
    "spy case",
    "military exercises",
    "currency swap",
    "fertiliser exports",
];
const VPS: [&str; 20] = [
    "remained in the initial stages",
    "had stalled over technical details",
    "could resume as early as next week",
    "would take months to finalise",
    "depended on political will on both sides",
    "faced fresh delays",
    "came under renewed scrutiny",
    "moved forward despite objections",
    "required further consultations",
    "had been agreed in principle",
    "drew criticism from opposition figures",
    "would be reviewed by a joint working group",
    "could not proceed without guarantees",
    "had little chance of success this year",
    "showed the first signs of progress",
    "stayed off the agenda",
    "prompted a formal protest",
    "raised concerns among neighbouring states",
    "needed approval from parliament",
    "would be discussed at the next round",
];
const SHORT_VPS: [&str; 10] = [
    "in early stages",
    "on hold",
    "back on track",
    "face delays",
    "under review",
    "near agreement",
    "stall again",
    "gain momentum",
    "in doubt",
    "set to resume",
];
const SAY: [&str; 12] = [
    "said",
    "told reporters",
    "stated",
    "insisted",
    "warned",
    "noted",
    "stressed",
    "acknowledged",
    "argued",
    "suggested",
    "confirmed",
    "claimed",
];
const WHEN: [&str; 12] = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "earlier this week",
    "late on Sunday",
    "in a televised address",
    "at a press briefing",
    "in a written statement",
    "after a closed-door meeting",
];
const ROLES: [&str; 11] = [
    "spokesperson",
    "foreign minister",
    "special envoy",
    "defence minister",
    "ambassador",
    "deputy foreign minister",
    "senior adviser",
    "chief negotiator",
    "national security adviser",
    "government spokesperson",
    "senior analyst",
];
const CONN: [&str; 9] = [
    "However,",
    "Meanwhile,",
    "At the same time,",
    "Separately,",
    "Earlier,",
    "In a separate development,",
    "According to officials,",
    "By contrast,",
    "Still,",
];
const REASONS: [&str; 10] = [
    "security concerns",
    "procedural objections",
    "a lack of verified information",
    "the risk of escalation",
    "unresolved legal questions",
    "pressure from allies",
    "the upcoming elections",
    "recent clashes near the border",
    "a dispute over the agenda",
    "budget constraints",
];
const VERDICTS: [&str; 6] = [
    "false",
    "premature",
    "unfounded",
    "speculative",
    "misleading",
    "exaggerated",
];
const EVENTS: [&str; 12] = [
    "the latest round of talks",
    "a phone call between the two leaders",
    "a meeting of senior officials",
    "overnight shelling",
    "the expulsion of two diplomats",
    "a UN Security Council session",
    "the publication of new satellite images",
    "a visit by international inspectors",
    "the announcement of new sanctions",
    "a prisoner swap",
    "a drone attack on an oil depot",
    "an emergency summit",
];
const REACTS: [&str; 8] = [
    "welcomed",
    "criticised",
    "questioned",
    "endorsed",
    "rejected",
    "reviewed",
    "called for a pause in",
    "urged restraint over",
];
const REACTS_NOW: [&str; 6] = [
    "questions",
    "backs",
    "rejects",
    "reviews",
    "welcomes",
    "criticises",
];
const LATER: [&str; 4] = [
    "next week",
    "later this month",
    "at the summit",
    "during the upcoming visit",
];
const HEADINGS: [&str; 12] = [
    "Background",
    "What was said",
    "Reactions",
    "What happens next",
    "Context",
    "On the ground",
    "Diplomatic track",
    "Key points",
    "Analysis",
    "Why it matters",
    "The numbers",
    "Regional fallout",
];
const QUOTES: [&str; 4] = [
    "The key issue is whether the {noun} {vp}",
    "We are ready to talk, but the {noun} {vp}",
    "Nobody should expect quick results on the {noun}",
    "There is political will, but the road to rebuilding {noun} is long",
];
const ABOUT: &str = "---\ntitle: About\n---\n\nThis site is a synthetic corpus made by \
    `tests/corpus` to benchmark briefing. Its briefs are generated text, not news.\n\n## Method\n\n\
    Every brief names its sources and is filed under one to three topics.\n";

/// Days from 2019-01-01 to 2025-12-31, inclusive.
const DAYS: i64 = 2557;

// ---- Pools of names ----------------------------------------------------------------------------

/// Names drawn with Zipf-like popularity: rank r is picked with weight 1/(r+1)^s.
struct Pool {
    names: Vec<String>,
    cum: Vec<f64>,
}

impl Pool {
    fn new(names: Vec<String>, s: f64) -> Pool {
        let mut total = 0.0;
        let cum = (0..names.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Pool { names, cum }
    }

    /// `k` distinct names (fewer if the pool is smaller).
    fn pick(&self, rng: &mut Rng, k: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let total = self.cum.last().copied().unwrap_or(0.0);
        while out.len() < k.min(self.names.len()) {
            let x = rng.unit() * total;
            let i = self
                .cum
                .partition_point(|&c| c <= x)
                .min(self.names.len() - 1);
            if !out.contains(&self.names[i]) {
                out.push(self.names[i].clone());
            }
        }
        out
    }
}

struct Pools {
    topics: Pool,
    people: Pool,
    places: Pool,
    organizations: Pool,
    tags: Pool,
}

fn words(list: &str) -> Vec<&str> {
    list.split_whitespace().collect()
}

/// `base` first, then names from `make` until there are `size` distinct ones.
fn unique_names(
    rng: &mut Rng,
    base: &[&str],
    make: impl Fn(&mut Rng) -> String,
    size: usize,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut tries = 0;
    let mut base = base.iter();
    while names.len() < size {
        let mut name = match base.next() {
            Some(b) => b.to_string(),
            None => make(rng),
        };
        tries += 1;
        if seen.contains(&name) && tries > 20 * size {
            // The name space is nearly used up: number the rest.
            name = format!("{name} {}", names.len());
        }
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

fn place_name(rng: &mut Rng) -> String {
    format!(
        "{}{}{}{}",
        rng.pick(&PLACE_PREFIXES),
        rng.pick(&words(PLACE_HEADS)),
        rng.pick(&PLACE_MIDS),
        rng.pick(&words(PLACE_TAILS))
    )
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn build_pools(rng: &mut Rng, n: usize) -> (Vec<Topic>, Pools) {
    let mut combos: Vec<(&str, &str)> = words(REGIONS)
        .into_iter()
        .flat_map(|r| words(THEMES).into_iter().map(move |t| (r, t)))
        .collect();
    rng.shuffle(&mut combos);
    let mut topics: Vec<Topic> = BASE_TOPICS
        .iter()
        .map(|(slug, title, summary)| Topic {
            slug: slug.to_string(),
            title: title.to_string(),
            summary: summary.to_string(),
            order: 0,
        })
        .collect();
    for i in 0..n / 200 {
        let (region, theme) = combos[i % combos.len()];
        let region = region.replace('-', " ");
        let mut title = format!("{region} {theme}");
        if i >= combos.len() {
            let _ = write!(title, " {}", i / combos.len() + 1);
        }
        topics.push(Topic {
            slug: slugify(&title),
            title,
            summary: format!("{} questions in the {region} region.", capitalize(theme)),
            order: 0,
        });
    }
    for (order, t) in topics.iter_mut().enumerate() {
        t.order = order + 1;
    }
    let people = unique_names(
        rng,
        &[],
        |r| {
            format!(
                "{} {}{}",
                r.pick(&words(FIRST_NAMES)),
                r.pick(&words(SURNAME_HEADS)),
                r.pick(&words(SURNAME_TAILS))
            )
        },
        40 + n / 5,
    );
    let places = unique_names(rng, &words(PLACES), place_name, 20 + n / 20);
    let orgs = unique_names(
        rng,
        &ORGS,
        |r| {
            let kind = *r.pick(&ORG_KINDS);
            let what = if r.unit() < 0.3 {
                r.pick(&words(ORG_SUBJECTS)).replace('-', " ")
            } else {
                place_name(r)
            };
            kind.replace("{}", &what)
        },
        15 + n / 30,
    );
    let tags = unique_names(
        rng,
        &words(TAGS),
        |r| {
            if r.unit() < 0.5 {
                format!("{} {}", r.pick(&words(TAG_MODS)), r.pick(&words(TAGS)))
            } else {
                format!("{} {}", r.pick(&words(TAGS)), place_name(r).to_lowercase())
            }
        },
        10 + n / 50,
    );
    let pools = Pools {
        topics: Pool::new(topics.iter().map(|t| t.slug.clone()).collect(), 1.1),
        people: Pool::new(people, 1.0),
        places: Pool::new(places, 1.0),
        organizations: Pool::new(orgs, 1.0),
        tags: Pool::new(tags, 1.0),
    };
    (topics, pools)
}

// ---- Briefs ------------------------------------------------------------------------------------

/// Front matter for every brief; bodies come later, once links are known.
fn make_briefs(rng: &mut Rng, n: usize, pools: &Pools) -> Vec<Brief> {
    let mut slugs = std::collections::HashSet::new();
    let mut briefs = Vec::with_capacity(n);
    for _ in 0..n {
        let date = Date::from_days(Date::FIRST + rng.below(DAYS as usize) as i64);
        let topics = {
            let k = *rng.pick(&[1, 1, 2, 2, 3]);
            pools.topics.pick(rng, k)
        };
        let people = {
            let k = rng.range(1, 4);
            pools.people.pick(rng, k)
        };
        let places = {
            let k = rng.range(1, 3);
            pools.places.pick(rng, k)
        };
        let organizations = {
            let k = *rng.pick(&[0, 1, 1, 2]);
            pools.organizations.pick(rng, k)
        };
        let tags = {
            let k = rng.range(0, 4);
            pools.tags.pick(rng, k)
        };
        let roll = rng.below(100);
        let status = STATUSES
            .iter()
            .find(|(_, cum)| roll < *cum)
            .map_or("confirmed", |(s, _)| s);
        let noun = *rng.pick(&NOUNS);
        let (who, place) = (&people[0], &places[0]);
        let mut titles = vec![
            format!("{who} says {noun} {}", rng.pick(&SHORT_VPS)),
            format!(
                "{} {} after talks in {place}",
                capitalize(noun),
                rng.pick(&SHORT_VPS)
            ),
            format!("{place}: {noun} {}", rng.pick(&SHORT_VPS)),
        ];
        if let Some(org) = organizations.first() {
            titles.push(format!("{org} {} {noun} in {place}", rng.pick(&REACTS_NOW)));
        }
        let title = rng.pick(&titles).clone();
        let summary = format!(
            "{who} {} the {noun} in {place} {}.",
            rng.pick(&SAY),
            rng.pick(&VPS)
        );
        let base = slugify(&title);
        let mut slug = base.clone();
        let mut k = 2;
        while slugs.contains(&slug) {
            slug = format!("{base}-{k}");
            k += 1;
        }
        slugs.insert(slug.clone());
        let mut outlets = OUTLETS.to_vec();
        rng.shuffle(&mut outlets);
        let sources = outlets[..rng.range(1, 2)]
            .iter()
            .map(|(name, domain)| {
                let url = format!(
                    "https://{domain}.example/{:04}/{:02}/{slug}-{}",
                    date.year,
                    date.month,
                    rng.below(1_000_000)
                );
                (name.to_string(), url)
            })
            .collect();
        briefs.push(Brief {
            file: format!("{:04}/{:02}/{date}-{slug}.md", date.year, date.month),
            slug,
            title,
            date: date.to_string(),
            topics,
            summary,
            people,
            places,
            organizations,
            tags,
            authors: Vec::new(),
            sources,
            status,
            aliases: Vec::new(),
            body: Vec::new(),
            words: 0,
        });
    }
    briefs
}

/// For each brief, 1–3 earlier briefs to link to (the first brief has none), mostly ones on
/// the same first topic, as newsrooms link follow-ups to what came before.
fn link_targets(rng: &mut Rng, briefs: &[Brief]) -> Vec<Vec<usize>> {
    let mut by_topic: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, b) in briefs.iter().enumerate() {
        by_topic.entry(&b.topics[0]).or_default().push(i);
    }
    (0..briefs.len())
        .map(|i| {
            if i == 0 {
                return Vec::new();
            }
            let same = &by_topic[briefs[i].topics[0].as_str()];
            let earlier = &same[..same.partition_point(|&j| j < i)];
            let mut targets = Vec::new();
            for _ in 0..rng.range(1, 3) {
                let j = if earlier.len() > 3 && rng.unit() < 0.8 {
                    *rng.pick(earlier)
                } else {
                    rng.below(i)
                };
                if !targets.contains(&j) {
                    targets.push(j);
                }
            }
            targets.sort_unstable();
            targets
        })
        .collect()
}

/// Builds one brief's Markdown body as segments, counting its words.
struct Writer<'r, 'b> {
    rng: &'r mut Rng,
    brief: &'b Brief,
    /// `(target index, target title)`.
    links: Vec<(usize, String)>,
    words: usize,
}

/// One block of the body (paragraph, heading, list…).
type Block = Vec<Segment>;

fn text(s: String) -> Block {
    vec![Segment::Text(s)]
}

fn spaces(s: &str) -> usize {
    s.matches(' ').count()
}

impl<'r, 'b> Writer<'r, 'b> {
    fn new(rng: &'r mut Rng, brief: &'b Brief, links: Vec<(usize, String)>) -> Self {
        Writer {
            rng,
            brief,
            links,
            words: 0,
        }
    }

    fn person(&mut self) -> String {
        self.rng.pick(&self.brief.people).clone()
    }

    fn place(&mut self) -> String {
        self.rng.pick(&self.brief.places).clone()
    }

    fn org(&mut self) -> String {
        if self.brief.organizations.is_empty() {
            "The government".into()
        } else {
            self.rng.pick(&self.brief.organizations).clone()
        }
    }

    /// A noun, sometimes emphasised.
    fn noun(&mut self) -> String {
        let n = *self.rng.pick(&NOUNS);
        let r = self.rng.unit();
        if r < 0.08 {
            format!("*{n}*")
        } else if r < 0.12 {
            format!("**{n}**")
        } else {
            n.to_string()
        }
    }

    fn sentence(&mut self) -> String {
        let s = match self.rng.below(8) {
            0 => format!(
                "{}, the {}, {} {} that the {} {}.",
                self.person(),
                self.rng.pick(&ROLES),
                self.rng.pick(&SAY),
                self.rng.pick(&WHEN),
                self.noun(),
                self.rng.pick(&VPS)
            ),
            1 => format!(
                "{} officials in {} {} the {} {}.",
                self.rng.pick(&CONN),
                self.place(),
                self.rng.pick(&SAY),
                self.noun(),
                self.rng.pick(&VPS)
            ),
            2 => format!(
                "{} {} the {} {}, citing {}.",
                self.org(),
                self.rng.pick(&REACTS),
                self.noun(),
                self.rng.pick(&WHEN),
                self.rng.pick(&REASONS)
            ),
            3 => format!(
                "Reports that the {} {} were dismissed as {} by {}.",
                self.noun(),
                self.rng.pick(&VPS),
                self.rng.pick(&VERDICTS),
                self.person()
            ),
            4 => format!(
                "{} the {} in {} {}.",
                self.rng.pick(&CONN),
                self.noun(),
                self.place(),
                self.rng.pick(&VPS)
            ),
            5 => format!(
                "Analysts at {} said the {} {}, but cautioned that the {} {}.",
                self.org(),
                self.noun(),
                self.rng.pick(&VPS),
                self.rng.pick(&NOUNS),
                self.rng.pick(&VPS)
            ),
            6 => format!(
                "The move followed {} in {}, which {}.",
                self.rng.pick(&EVENTS),
                self.place(),
                self.rng.pick(&VPS)
            ),
            _ => format!(
                "{} is expected to raise the {} with counterparts from {} {}.",
                self.person(),
                self.noun(),
                self.place(),
                self.rng.pick(&LATER)
            ),
        };
        self.words += spaces(&s) + 1;
        s
    }

    /// 2–5 sentences; sometimes "This follows [an earlier brief]." among them.
    fn paragraph(&mut self, pending: &mut Vec<usize>) -> Block {
        let count = self.rng.range(2, 5);
        let mut parts: Vec<Block> = (0..count).map(|_| text(self.sentence())).collect();
        if !pending.is_empty() && self.rng.unit() < 0.35 {
            // OK because `pending` is not empty.
            let k = pending.pop().expect("a pending link");
            let (target, title) = self.links[k].clone();
            self.words += 4 + spaces(&title);
            let at = self.rng.below(parts.len() + 1);
            parts.insert(
                at,
                vec![
                    Segment::Text("This follows ".into()),
                    Segment::Link {
                        text: title,
                        target,
                    },
                    Segment::Text(".".into()),
                ],
            );
        }
        join(parts, " ")
    }

    fn bullet_list(&mut self) -> Block {
        let numbered = self.rng.unit() < 0.3;
        let mut items = Vec::new();
        for i in 0..self.rng.range(3, 6) {
            let noun = self.noun();
            let item = if self.rng.unit() < 0.5 {
                format!("{} {}", capitalize(&noun), self.rng.pick(&VPS))
            } else {
                format!("{}: the {noun} {}", self.person(), self.rng.pick(&VPS))
            };
            self.words += spaces(&item) + 1;
            let mark = if numbered {
                format!("{}.", i + 1)
            } else {
                "-".into()
            };
            items.push(format!("{mark} {item}."));
        }
        text(items.join("\n"))
    }

    fn quote(&mut self) -> Block {
        let (quote, noun, vp) = (
            *self.rng.pick(&QUOTES),
            *self.rng.pick(&NOUNS),
            *self.rng.pick(&VPS),
        );
        let q = quote.replace("{noun}", noun).replace("{vp}", vp);
        self.words += spaces(&q) + 3;
        text(format!(
            "> “{q}.”\n>\n> — {}, {}",
            self.person(),
            self.rng.pick(&ROLES)
        ))
    }

    fn table(&mut self) -> Block {
        let mut day = Date::parse(&self.brief.date).days();
        let mut rows = vec![
            "| Date | Event | Place |".to_string(),
            "|------|-------|-------|".to_string(),
        ];
        for _ in 0..self.rng.range(3, 5) {
            day -= self.rng.range(1, 40) as i64;
            let event = *self.rng.pick(&EVENTS);
            rows.push(format!(
                "| {} | {} | {} |",
                Date::from_days(day),
                capitalize(event),
                self.place()
            ));
            self.words += spaces(event) + 3;
        }
        text(rows.join("\n"))
    }

    /// Paragraphs, `##` sections of lists, quotes, paragraphs and sometimes a table, until the
    /// word target; links not yet placed go in a closing "See also" line.
    fn body(mut self) -> (Vec<Segment>, usize) {
        // The last block and closing lines add up to ~130 words.
        let target = self.rng.range(290, 770);
        let mut pending: Vec<usize> = (0..self.links.len()).collect();
        self.rng.shuffle(&mut pending);
        let mut blocks = vec![self.paragraph(&mut pending)];
        let mut headings = HEADINGS.to_vec();
        self.rng.shuffle(&mut headings);
        let mut has_table = self.rng.unit() < 0.25;
        #[derive(PartialEq)]
        enum Kind {
            Heading,
            Table,
            List,
            Quote,
            Paragraph,
        }
        while self.words < target {
            blocks.push(text(format!("## {}", headings.pop().unwrap_or("More"))));
            let mut kind = Kind::Heading;
            for _ in 0..self.rng.range(1, 3) {
                if self.words >= target {
                    break;
                }
                let k = self.rng.unit();
                if has_table && k < 0.15 {
                    (kind, has_table) = (Kind::Table, false);
                    blocks.push(self.table());
                } else if k < 0.3 && kind != Kind::List {
                    // Two lists in a row would merge into one.
                    kind = Kind::List;
                    blocks.push(self.bullet_list());
                } else if k < 0.42 && kind != Kind::Quote {
                    kind = Kind::Quote;
                    blocks.push(self.quote());
                } else {
                    kind = Kind::Paragraph;
                    blocks.push(self.paragraph(&mut pending));
                }
            }
        }
        if !pending.is_empty() {
            pending.sort_unstable();
            let links: Vec<Block> = pending
                .iter()
                .map(|&k| {
                    let (target, title) = self.links[k].clone();
                    vec![Segment::Link {
                        text: title,
                        target,
                    }]
                })
                .collect();
            let mut see = text("See also ".into());
            see.extend(join(links, " and "));
            see.push(Segment::Text(".".into()));
            blocks.push(see);
        }
        let (name, url) = &self.brief.sources[0];
        blocks.push(text(format!("Reporting by [{name}]({url}).")));
        let mut body = join(blocks, "\n\n");
        body.push(Segment::Text("\n".into()));
        (merge(body), self.words)
    }
}

fn join(blocks: Vec<Block>, sep: &str) -> Block {
    let mut out = Vec::new();
    for (i, b) in blocks.into_iter().enumerate() {
        if i > 0 {
            out.push(Segment::Text(sep.into()));
        }
        out.extend(b);
    }
    out
}

/// Adjacent text segments made one, so a body is a few long strings between links.
fn merge(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for s in segments {
        match (out.last_mut(), s) {
            (Some(Segment::Text(prev)), Segment::Text(t)) => prev.push_str(&t),
            (_, s) => out.push(s),
        }
    }
    out
}

// ---- Dates -------------------------------------------------------------------------------------

/// A calendar date; only what the generator needs (days since 1970-01-01 and back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// 2019-01-01 in days since 1970-01-01.
    const FIRST: i64 = 17_897;

    /// From days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (`days_from_civil`).
    pub fn days(self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD`; panics on anything else (dates here come from this module).
    pub fn parse(s: &str) -> Date {
        let mut parts = s.split('-').map(|p| p.parse::<i64>());
        let mut next = || match parts.next() {
            Some(Ok(v)) => v,
            _ => panic!("not a YYYY-MM-DD date: {s:?}"),
        };
        let (year, month, day) = (next(), next(), next());
        Date {
            year,
            month: month as u32,
            day: day as u32,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
