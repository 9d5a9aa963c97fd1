//! Lists and maps in requests, bounded while they are parsed: a request holding more items than
//! the domain can mean (dispute points beyond a card's criteria, thousands of session calls) is
//! refused before it is in memory, and no rule ever loops over it. The limits are the domain's.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// At most this many criteria in a scorecard, so at most this many answers, notes or dispute
/// points in a request about one.
pub const MAX_CRITERIA: usize = 200;
/// A sampling plan's reviewer pool, and the reviewer–agent pairs it keeps apart.
pub const MAX_POOL: usize = 200;
pub const MAX_CONFLICTS: usize = 2_000;

/// A JSON list of at most `MAX` items.
pub fn vec<'de, D, T, const MAX: usize>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct List<T, const MAX: usize>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for List<T, MAX> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of at most {MAX} items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX {
                    return Err(A::Error::custom(format_args!("more than {MAX} items")));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    d.deserialize_seq(List::<T, MAX>(PhantomData))
}

/// A JSON object of at most `MAX` entries.
pub fn map<'de, D, K, V, const MAX: usize>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    struct Object<K, V, const MAX: usize>(PhantomData<(K, V)>);
    impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>, const MAX: usize> Visitor<'de>
        for Object<K, V, MAX>
    {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object of at most {MAX} entries")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BTreeMap<K, V>, A::Error> {
            let mut entries = BTreeMap::new();
            let mut read = 0;
            while let Some((key, value)) = map.next_entry()? {
                read += 1;
                if read > MAX {
                    return Err(A::Error::custom(format_args!("more than {MAX} entries")));
                }
                entries.insert(key, value);
            }
            Ok(entries)
        }
    }
    d.deserialize_map(Object::<K, V, MAX>(PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct Request {
        #[serde(deserialize_with = "super::vec::<_, _, 3>")]
        ids: Vec<u32>,
        #[serde(default, deserialize_with = "super::map::<_, _, _, 2>")]
        notes: std::collections::BTreeMap<String, u32>,
    }

    /// Issue #19: a dispute of 30,000 points held the writer for seconds; lists are now refused
    /// at parse time, before any rule loops over them.
    #[test]
    fn lists_and_maps_past_their_bound_are_refused_while_parsing() {
        let ok: Request = serde_json::from_str(r#"{"ids":[1,2,3],"notes":{"a":1,"b":2}}"#).unwrap();
        assert_eq!((ok.ids.len(), ok.notes.len()), (3, 2));
        let long = serde_json::from_str::<Request>(r#"{"ids":[1,2,3,4]}"#).unwrap_err();
        assert!(long.to_string().contains("more than 3 items"), "{long}");
        let wide = serde_json::from_str::<Request>(r#"{"ids":[],"notes":{"a":1,"b":2,"c":3}}"#)
            .unwrap_err();
        assert!(wide.to_string().contains("more than 2 entries"), "{wide}");
    }
}
