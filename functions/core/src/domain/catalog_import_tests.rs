//! Tests of the import rules (`catalog_import.rs`).

use super::*;
use crate::domain::catalog::{bundled, check_all};
use crate::site_config::facts;

fn row<'a>(invoice: &'a str, code: &'a str, text: &'a str, q: &'a str, p: &'a str) -> LogRow<'a> {
    LogRow {
        invoice,
        stock_code: code,
        description: text,
        quantity: q,
        unit_price: p,
    }
}

#[test]
fn versions_name_the_content() {
    let a = version("{}", Some(b"log"));
    assert_eq!(a, version("{}", Some(b"log")));
    assert_ne!(a, version("{}", Some(b"log2")));
    assert_ne!(a, version("{ }", Some(b"log")));
    assert_ne!(a, version("{}", None));
    assert_eq!(a.len(), 32);
}

#[test]
fn prices_are_read_to_the_penny_half_up() {
    assert_eq!(pence("2.55"), Some(255));
    assert_eq!(pence("8.405"), Some(841));
    assert_eq!(pence("8.404"), Some(840));
    assert_eq!(pence("1"), Some(100));
    assert_eq!(pence(".5"), Some(50));
    assert_eq!(pence("0.001"), None);
    for bad in ["0", "0.00", "-1.25", "", "abc", "1.2.3", "1e3"] {
        assert_eq!(pence(bad), None, "{bad}");
    }
}

#[test]
fn product_codes_start_with_five_digits_and_keep_their_suffix() {
    assert_eq!(product_code("85123a").as_deref(), Some("85123A"));
    assert_eq!(product_code("22423").as_deref(), Some("22423"));
    for other in ["POST", "DOT", "M", "BANK CHARGES", "DCGS0003", "1234", "C2"] {
        assert_eq!(product_code(other), None, "{other}");
    }
}

#[test]
fn names_read_like_names() {
    assert_eq!(
        clean_name("WHITE HANGING HEART T-LIGHT HOLDER"),
        "White hanging heart T-light holder"
    );
    assert_eq!(
        clean_name("KEY FOB , GARAGE DESIGN"),
        "Key fob, garage design"
    );
    assert_eq!(
        clean_name("EIGHT PIECE SNAKE  SET"),
        "Eight piece snake set"
    );
    assert_eq!(
        clean_name("RED TOADSTOOL LED NIGHT LIGHT"),
        "Red toadstool LED night light"
    );
    assert_eq!(
        clean_name("SET/4 COLOURFUL MIXING BOWLS"),
        "Set/4 colourful mixing bowls"
    );
    assert_eq!(
        clean_name(" 72 SWEETHEART FAIRY CAKE CASES"),
        "72 sweetheart fairy cake cases"
    );
}

#[test]
fn list_price_is_the_lower_median_and_tiers_must_be_cheaper() {
    // 85123A-like: mostly 295, cheaper from 100.
    let mut sales = vec![(6, 295); 5];
    sales.extend([(12, 295), (24, 295), (24, 295), (48, 295)]);
    sales.extend([(100, 255), (128, 255), (200, 255)]);
    sales.push((1, 663));
    let (list, tiers) = price_rule(&sales).unwrap();
    assert_eq!(list, 295);
    assert_eq!(
        tiers,
        vec![PriceTier {
            min_quantity: 100,
            unit_price_minor: 255
        }]
    );
    // Two middle values: the lower one, not their average.
    assert_eq!(price_rule(&[(1, 100), (1, 200)]).unwrap().0, 100);
    // Fewer than 3 rows at a threshold: no tier.
    let (_, tiers) = price_rule(&[(1, 300), (1, 300), (12, 200), (12, 200)]).unwrap();
    assert!(tiers.is_empty());
    assert_eq!(price_rule(&[]), None);
}

#[test]
fn the_log_becomes_valid_items_with_featured_ones_first() {
    let featured = bundled().unwrap();
    let mut import = Import::new();
    for r in [
        row("536365", "71053", "WHITE METAL LANTERN", "6", "3.39"),
        row("536366", "71053", "WHITE METAL LANTERN", "2", "3.75"),
        row("536367", "71053", "damaged", "3", "3.39"),
        row("536368", "71053", "WHITE METAL LANTERNS", "1", "3.39"),
        row("C536369", "71053", "WHITE METAL LANTERN", "-6", "0.01"),
        row(
            "536370",
            "84879",
            "ASSORTED COLOUR BIRD ORNAMENT",
            "32",
            "1.69",
        ),
        row("536371", "POST", "POSTAGE", "1", "18"),
        row(
            "536372",
            "21645",
            "ASSORTED TUTTI FRUTTI ROUND BOX",
            "1",
            "0",
        ),
        row("536373", "35015", "", "4", "1.25"),
    ] {
        import.add(r);
    }
    assert_eq!(import.rows(), 9);
    let items = import.finish(&featured);
    let items = check_all(items, facts()).expect("valid");
    assert_eq!(
        items.len(),
        featured.len() + 1,
        "no price or no name: left out"
    );
    let lantern = items.iter().find(|i| i.sku == "71053").unwrap();
    assert_eq!(lantern.name.en, "White metal lantern");
    assert_eq!(lantern.name.es, lantern.name.en);
    assert_eq!(lantern.name_es_lang, Some(Untranslated::En));
    assert_eq!(lantern.unit_price_minor, 339);
    assert!(lantern.topics.contains(&"home_decor".to_string()));
    let bird = items.iter().find(|i| i.sku == "84879").unwrap();
    assert_eq!(
        bird.name.es, "Pájaro decorativo de colores",
        "featured wins"
    );
}
