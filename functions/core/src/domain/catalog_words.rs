//! Words of product names: how search splits and folds them, which words an item is
//! found by, how a query is read, and the keyword table that gives imported items their
//! topics and needs.
//!
//! Search is by word prefix in either language: a query word matches an item when it
//! begins one of the words of the item's English name or, where it has a real one, its
//! Spanish name ("heart" finds "Heart of wicker" and "hearts"; "corazon" and "corazón"
//! find "Corazón de mimbre"). Every word of a query must match.

/// Words neither indexed nor searched for (unless a query holds nothing else): they
/// are in too many names to narrow anything down.
#[rustfmt::skip]
pub const STOP_WORDS: [&str; 24] = [
    "a", "an", "and", "of", "the", "with", "in", "for", "on", "to", "de", "del", "la",
    "las", "el", "los", "y", "con", "en", "para", "un", "una", "por", "al",
];

/// Query words used at most (the rest of a long query is ignored).
pub const MAX_QUERY_WORDS: usize = 6;

/// Lower case without accents (`Á` → `a`, `ñ` → `n`), for search only.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other.to_lowercase().next().unwrap_or(other),
    }
}

/// The words of a text as search sees them: folded, split at anything that is not a
/// letter or a digit (`T-light` is `t` and `light`; `B'fly` is `b` and `fly`).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(fold).collect())
        .collect()
}

/// The words an item is found by, from its names: distinct and sorted, without stop
/// words or single characters.
pub fn index_words(names: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = names
        .iter()
        .flat_map(|name| words(name))
        .filter(|w| w.chars().count() > 1 && !STOP_WORDS.contains(&w.as_str()))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// A search as the index answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Every word an item must have a word beginning with.
    pub words: Vec<String>,
    /// The word looked up in the index (the longest: the fewest candidates; the last
    /// of equals, since a person types the last one).
    pub key: String,
}

impl Query {
    /// Read a query: `None` when it holds no letter or digit. Stop words count only
    /// when nothing else is there ("de" alone is the start of "decoration").
    pub fn parse(q: &str) -> Option<Query> {
        let all = words(q);
        let meaningful: Vec<String> = all
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        let mut words = if meaningful.is_empty() {
            all
        } else {
            meaningful
        };
        words.truncate(MAX_QUERY_WORDS);
        let key = words
            .iter()
            .rev()
            .max_by_key(|w| w.chars().count())
            .cloned()?;
        words.sort();
        words.dedup();
        Some(Query { words, key })
    }

    /// Whether an item with these index words answers the query.
    pub fn matches(&self, item_words: &[String]) -> bool {
        self.words
            .iter()
            .all(|q| item_words.iter().any(|w| w.starts_with(q.as_str())))
    }
}

/// Topic keywords: a name word equal to a keyword or to its plural (`-s`, `-es`).
#[rustfmt::skip]
const TOPIC_WORDS: [(&str, &[&str]); 8] = [
    ("seasonal", &[
        "christmas", "xmas", "easter", "santa", "reindeer", "snowflake", "advent",
        "bauble", "halloween", "valentine", "nativity", "elf", "snowman", "tinsel",
        "wreath", "angel",
    ]),
    ("kitchen", &[
        "cake", "cup", "mug", "saucer", "teacup", "tea", "plate", "bowl", "spoon",
        "cutlery", "jam", "jar", "tin", "lunch", "kitchen", "baking", "apron", "oven",
        "napkin", "tray", "coaster", "egg", "jug", "teapot", "recipe", "cookie", "cutter",
        "biscuit", "pantry", "spice", "chopping", "colander", "teatowel", "towel", "sugar",
        "milk", "coffee", "dish", "placemat", "snack", "glass", "bottle", "straw", "cases",
        "cakestand",
    ]),
    ("garden", &[
        "garden", "gardener", "plant", "planter", "bird", "birdhouse", "feeder",
        "watering", "parasol", "outdoor", "picnic", "flower", "seed", "herb", "lavender",
        "pot",
    ]),
    ("kids", &[
        "children", "childrens", "child", "kids", "baby", "toy", "doll", "dolly", "teddy",
        "game", "spaceboy", "dinosaur", "skipping", "puzzle", "soldier", "jigsaw",
        "alphabet", "playhouse", "play", "dolls", "colouring", "crayon",
    ]),
    ("crafts", &[
        "paper", "pen", "pencil", "notebook", "note", "sticker", "craft", "kit", "sewing",
        "knitting", "stamp", "journal", "diary", "envelope", "album", "scissors", "eraser",
        "ruler", "chalk", "calendar", "notepad", "book", "feltcraft", "card", "tape",
    ]),
    ("gifts", &[
        "gift", "wrap", "tag", "ribbon", "present", "giftwrap", "tissue",
    ]),
    ("accessories", &[
        "bag", "purse", "necklace", "bracelet", "earrings", "ring", "jewellery", "hair",
        "clip", "umbrella", "scarf", "handbag", "wallet", "brooch", "keyring", "fob",
        "tote", "shopper", "hat", "slipper", "charm", "comb", "necklac", "earring",
    ]),
    ("home_decor", &[
        "heart", "hanging", "holder", "light", "candle", "lantern", "frame", "mirror",
        "clock", "sign", "cushion", "doormat", "vase", "decoration", "ornament", "wall",
        "chalkboard", "lamp", "plaque", "hook", "drawer", "cabinet", "shelf", "art",
        "doorstop", "garland", "quilt", "blanket", "throw", "storage", "box", "basket",
        "photo", "bunting", "diamante", "tlight", "candleholder", "door", "home",
    ]),
];

/// Need keywords, on top of the need each topic serves ([`NEED_OF_TOPIC`]).
#[rustfmt::skip]
const NEED_WORDS: [(&str, &[&str]); 2] = [
    ("event", &[
        "party", "birthday", "wedding", "bunting", "christmas", "celebration", "napkin",
        "balloon", "confetti", "garland", "banner", "halloween", "easter", "cases",
        "invitation", "cracker", "candle", "disco", "hen", "congratulations",
    ]),
    ("business", &[
        "jumbo", "sign", "chalkboard", "doormat", "storage", "label", "notebook", "pen",
        "office", "stationery", "envelope", "shopper", "bag", "tape", "display", "stand",
        "wrap", "tag", "box",
    ]),
];

/// The need each topic serves.
const NEED_OF_TOPIC: [(&str, &str); 8] = [
    ("home_decor", "home"),
    ("kitchen", "home"),
    ("garden", "home"),
    ("seasonal", "event"),
    ("gifts", "gift"),
    ("crafts", "gift"),
    ("kids", "gift"),
    ("accessories", "gift"),
];

fn has_keyword(name_words: &[String], keywords: &[&str]) -> bool {
    name_words.iter().any(|w| {
        keywords.iter().any(|k| {
            w == k
                || w.strip_suffix('s').is_some_and(|stem| stem == *k)
                || w.strip_suffix("es").is_some_and(|stem| stem == *k)
        })
    })
}

/// The topics of a name, in the table's order; `gifts` when no keyword matches (the
/// shop is a gift shop).
pub fn topics_for(name: &str) -> Vec<String> {
    let name_words = words(name);
    let topics: Vec<String> = TOPIC_WORDS
        .iter()
        .filter(|(_, keywords)| has_keyword(&name_words, keywords))
        .map(|(topic, _)| topic.to_string())
        .collect();
    if topics.is_empty() {
        vec!["gifts".to_string()]
    } else {
        topics
    }
}

/// The needs of a name with these topics: each topic's need, then the need keywords,
/// in [`super::catalog::NEEDS`] order; `gift` when nothing else applies.
pub fn needs_for(name: &str, topics: &[String]) -> Vec<String> {
    let name_words = words(name);
    let mut needs: Vec<&str> = topics
        .iter()
        .filter_map(|t| NEED_OF_TOPIC.iter().find(|(topic, _)| topic == t))
        .map(|(_, need)| *need)
        .collect();
    for (need, keywords) in NEED_WORDS {
        if has_keyword(&name_words, keywords) {
            needs.push(need);
        }
    }
    if needs.is_empty() {
        needs.push("gift");
    }
    super::catalog::NEEDS
        .iter()
        .filter(|n| needs.contains(n))
        .map(|n| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(
            words("Corazón de MIMBRE, pequeño"),
            strings(&["corazon", "de", "mimbre", "pequeno"])
        );
        assert_eq!(words("T-light holder"), strings(&["t", "light", "holder"]));
        assert_eq!(
            index_words(&[
                "White hanging heart T-light holder",
                "Portavelas corazón blanco colgante"
            ]),
            strings(&[
                "blanco",
                "colgante",
                "corazon",
                "hanging",
                "heart",
                "holder",
                "light",
                "portavelas",
                "white"
            ])
        );
        assert_eq!(
            index_words(&["Set of 72 cake cases"]),
            strings(&["72", "cake", "cases", "set"])
        );
    }

    #[test]
    fn queries_match_by_word_prefix_in_every_word() {
        let item = index_words(&["Red retrospot heart cushion", "Cojín corazón rojo"]);
        let q = |text: &str| Query::parse(text).unwrap();
        assert!(q("heart").matches(&item));
        assert!(q("hea").matches(&item));
        assert!(q("Corazón").matches(&item) && q("corazon").matches(&item));
        assert!(q("red heart").matches(&item));
        assert!(
            q("cushion of the red").matches(&item),
            "stop words are skipped"
        );
        assert!(!q("eart").matches(&item), "a prefix, not any substring");
        assert!(!q("red lantern").matches(&item), "every word must match");
        assert_eq!(
            q("red hea").key,
            "red",
            "the longest word; the last of equals"
        );
        assert_eq!(q("heart of red").key, "heart");
        assert_eq!(
            q("de").words,
            strings(&["de"]),
            "a lone stop word is a prefix"
        );
        assert_eq!(Query::parse("  ,;- "), None);
        assert_eq!(q("a b c d e f g h").words.len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn topics_and_needs_come_from_the_keyword_table() {
        assert_eq!(
            topics_for("White hanging heart T-light holder"),
            strings(&["home_decor"])
        );
        assert_eq!(
            needs_for(
                "White hanging heart T-light holder",
                &strings(&["home_decor"])
            ),
            strings(&["home"])
        );
        let cake = "Pack of 72 retrospot cake cases";
        assert_eq!(topics_for(cake), strings(&["kitchen"]));
        assert_eq!(
            needs_for(cake, &topics_for(cake)),
            strings(&["home", "event"])
        );
        let bag = "Jumbo bag red retrospot";
        assert_eq!(topics_for(bag), strings(&["accessories"]));
        assert_eq!(
            needs_for(bag, &topics_for(bag)),
            strings(&["gift", "business"])
        );
        let tree = "Christmas tree hanging decorations";
        assert_eq!(topics_for(tree), strings(&["seasonal", "home_decor"]));
        assert_eq!(
            needs_for(tree, &topics_for(tree)),
            strings(&["home", "event"])
        );
        assert_eq!(
            topics_for("Assorted tutti frutti"),
            strings(&["gifts"]),
            "fallback"
        );
        assert_eq!(
            needs_for("Assorted tutti frutti", &strings(&["gifts"])),
            strings(&["gift"])
        );
        assert_eq!(topics_for("Children's dolly girl lunch box").len(), 3);
    }

    #[test]
    fn every_keyword_names_a_real_topic_and_need() {
        let facts = crate::site_config::facts();
        for (topic, _) in TOPIC_WORDS {
            assert!(facts.is_topic(topic), "{topic}");
        }
        for (topic, need) in NEED_OF_TOPIC {
            assert!(facts.is_topic(topic) && super::super::catalog::NEEDS.contains(&need));
        }
        for (need, _) in NEED_WORDS {
            assert!(super::super::catalog::NEEDS.contains(&need));
        }
    }
}
