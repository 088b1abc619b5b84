//! Small text helpers for diagnostics.

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo
/// (at most a third of the word's length, and at most 3 edits).
pub fn closest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates.map(|c| (edit_distance(word, c), c)).filter(|(dist, _)| *dist <= limit).min_by_key(|(dist, _)| *dist).map(|(_, c)| c)
}

/// Help for a name that is not one of `known`: `did you mean `x`? {what}: a, b, c`, or just
/// the list when nothing is near.
pub fn suggest(word: &str, known: &[&str], what: &str) -> String {
    let list = known.join(", ");
    match closest(word, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? {what}: {list}"),
        None => format!("{what}: {list}"),
    }
}

/// Levenshtein distance over characters, in O(len(a) * len(b)) time and O(len(b)) space.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = if ca == *cb { diagonal } else { diagonal + 1 };
            let best = cost.min(up.saturating_add(1)).min(left + 1);
            diagonal = up;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = best;
            }
            left = best;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_field() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("unit_prise", ["quantity", "unit_price"].into_iter()), Some("unit_price"));
        assert_eq!(closest("zzz", ["quantity", "unit_price"].into_iter()), None);
    }
}
