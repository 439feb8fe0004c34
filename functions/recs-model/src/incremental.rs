//! Online freshness between refits: a new interaction co-occurs with the customer's
//! recent items, and those fresh co-occurrences are merged into the stored neighbour
//! lists of the items touched, so one event costs O(neighbours of those items).

/// The co-occurrence pairs one new interaction with `item` creates, given the
/// customer's recent items (with weights, e.g. by recency): `(a, b, delta)` in both
/// directions, to be added to a's list (b as neighbour) and to b's list (a as
/// neighbour). Nothing when the item is already among the recent ones: the pair was
/// counted when it first co-occurred, and repeats (reloading a page) must not inflate it.
pub fn cooccurrence_deltas(
    recent: &[(String, f32)],
    item: &str,
    weight: f32,
) -> Vec<(String, String, f32)> {
    if recent.iter().any(|(r, _)| r == item) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(recent.len() * 2);
    for (other, w) in recent {
        let delta = w * weight;
        if delta <= 0.0 {
            continue;
        }
        out.push((other.clone(), item.to_string(), delta));
        out.push((item.to_string(), other.clone(), delta));
    }
    out
}

/// Merges fresh co-occurrences `(neighbour, delta)` into an item's list: each delta
/// times `scale` (the model's [`crate::Model::fresh_scale`]) is added to the
/// neighbour's score, new neighbours enter, and the list is re-sorted (best first,
/// ties by item code) and cut to `n`.
pub fn merge_fresh(list: &mut Vec<(String, f32)>, fresh: &[(String, f32)], scale: f32, n: usize) {
    for (item, delta) in fresh {
        let add = delta * scale;
        match list.iter_mut().find(|(i, _)| i == item) {
            Some(entry) => entry.1 += add,
            None => list.push((item.clone(), add)),
        }
    }
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(n);
}
