//! Kept page shells: pages rendered once with marks (see [`super::marked`])
//! and rendered again only when what they were rendered from changes. A
//! shell remembers its sources by identity (the `Arc`s of a cached story,
//! catalogue or page, held weakly so that no old one stays in memory, and
//! never mistaken for a newer one at the same address) and by text (the
//! public address).

use std::any::Any;
use std::hash::Hash;
use std::sync::{Arc, Weak};

use moka::sync::Cache;

use super::marked::Marked;
use crate::error::Result;

/// A shared value a shell was rendered from.
pub trait Source {
    fn weak(&self) -> Weak<dyn Any + Send + Sync>;
    fn address(&self) -> *const ();
}

impl<T: Any + Send + Sync> Source for Arc<T> {
    fn weak(&self) -> Weak<dyn Any + Send + Sync> {
        let weak: Weak<T> = Arc::downgrade(self);
        weak
    }

    fn address(&self) -> *const () {
        Arc::as_ptr(self).cast()
    }
}

struct Shell {
    sources: Vec<Weak<dyn Any + Send + Sync>>,
    text: String,
    page: Arc<Marked>,
}

impl Shell {
    fn fits(&self, sources: &[&dyn Source], text: &str) -> bool {
        self.text == text
            && self.sources.len() == sources.len()
            && (self.sources.iter().zip(sources))
                .all(|(kept, now)| std::ptr::eq(kept.as_ptr().cast::<()>(), now.address()))
    }
}

/// Shells by key (cheap to clone: clones share them).
#[derive(Clone)]
pub struct Shells<K> {
    cache: Cache<K, Arc<Shell>>,
}

impl<K: Hash + Eq + Send + Sync + 'static> Shells<K> {
    pub fn new(capacity: u64) -> Shells<K> {
        Shells {
            cache: Cache::builder().max_capacity(capacity).build(),
        }
    }

    /// The shell of `key` rendered from `sources` and `text`, kept or
    /// rendered now by `render`.
    pub fn get(
        &self,
        key: K,
        sources: &[&dyn Source],
        text: &str,
        render: impl FnOnce() -> Result<Marked>,
    ) -> Result<Arc<Marked>> {
        if let Some(shell) = self.cache.get(&key) {
            if shell.fits(sources, text) {
                return Ok(shell.page.clone());
            }
        }
        let page = Arc::new(render()?);
        let shell = Shell {
            sources: sources.iter().map(|source| source.weak()).collect(),
            text: text.to_string(),
            page: page.clone(),
        };
        self.cache.insert(key, Arc::new(shell));
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shell_is_rendered_again_when_a_source_or_the_text_changes() {
        let shells: Shells<u8> = Shells::new(10);
        let renders = std::cell::Cell::new(0);
        let render = || {
            renders.set(renders.get() + 1);
            Ok(Marked::parse("page", &[]))
        };
        let (first, second) = (Arc::new(1), Arc::new(1));
        for (source, text) in [(&first, "a"), (&first, "a"), (&second, "a"), (&second, "b")] {
            shells.get(0, &[source], text, render).unwrap();
        }
        assert_eq!(renders.get(), 3);
        shells.get(1, &[&second], "b", render).unwrap();
        assert_eq!(renders.get(), 4, "another key");
    }
}
