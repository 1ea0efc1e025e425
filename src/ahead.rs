//! Work done ahead of need on a worker thread and handed to the thread that
//! needs it: a single report's template is compiled, and its words shaped,
//! while its data file is parsed.
//!
//! Whoever comes first claims an entry: the worker, which then does the work
//! without pause, or the taker, which then does the work itself and the worker
//! skips it. A taker waits only for work already under way, so nothing waits on
//! a task that has not started (with one worker thread, that would never end).
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// Results of work done ahead, found by key.
pub struct Ahead<K, T> {
    entries: Mutex<Vec<Arc<Entry<K, T>>>>,
}

struct Entry<K, T> {
    key: K,
    claimed: AtomicBool,
    done: OnceLock<T>,
}

impl<K: PartialEq, T: Clone> Default for Ahead<K, T> {
    fn default() -> Ahead<K, T> {
        Ahead::new()
    }
}

impl<K: PartialEq, T: Clone> Ahead<K, T> {
    /// No entries.
    pub const fn new() -> Ahead<K, T> {
        Ahead {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// Register `key`, then do `work` for it unless a taker came first.
    pub fn run(&self, key: K, work: impl FnOnce(&K) -> T) {
        let entry = Arc::new(Entry {
            key,
            claimed: AtomicBool::new(false),
            done: OnceLock::new(),
        });
        match self.entries.lock() {
            Ok(mut all) => all.push(Arc::clone(&entry)),
            Err(_) => return,
        }
        if !entry.claimed.swap(true, Ordering::AcqRel) {
            let _ = entry.done.set(work(&entry.key));
        }
    }

    /// Whether work for `key` was registered (and not taken yet).
    pub fn has(&self, key: &K) -> bool {
        self.entries
            .lock()
            .is_ok_and(|all| all.iter().any(|e| e.key == *key))
    }

    /// The result for `key`, waiting for it if it is being worked out right now;
    /// `None` if there is no entry, or its work never started (and now will not).
    pub fn take(&self, key: &K) -> Option<T> {
        let entry = {
            let mut all = self.entries.lock().ok()?;
            let i = all.iter().position(|e| e.key == *key)?;
            all.swap_remove(i)
        };
        if !entry.claimed.swap(true, Ordering::AcqRel) {
            return None;
        }
        Some(entry.done.wait().clone())
    }
}

/// Items that several threads work through together, each taking the next one
/// no thread has taken yet: a worker starts on them ahead of need, and a thread
/// that would otherwise wait for its result joins in. No thread waits for
/// another except for items being worked on now, and none does anything else
/// meanwhile, so sharing cannot deadlock a thread pool.
pub struct Shared<T> {
    items: Vec<T>,
    /// The next item to hand out.
    next: AtomicUsize,
    /// Items finished, by anyone.
    finished: Mutex<usize>,
    finished_cv: Condvar,
}

impl<T> Shared<T> {
    /// `items`, none taken yet.
    pub fn new(items: Vec<T>) -> Shared<T> {
        Shared {
            items,
            next: AtomicUsize::new(0),
            finished: Mutex::new(0),
            finished_cv: Condvar::new(),
        }
    }

    /// Take items one after another, calling `f` with each and its index, until
    /// none is left.
    pub fn work(&self, mut f: impl FnMut(usize, &T)) {
        /// Counts the item finished however `f` ends, so that no one waits for
        /// an item that will never be done.
        struct Finished<'s, T>(&'s Shared<T>);
        impl<T> Drop for Finished<'_, T> {
            fn drop(&mut self) {
                if let Ok(mut n) = self.0.finished.lock() {
                    *n += 1;
                }
                self.0.finished_cv.notify_all();
            }
        }
        loop {
            let i = self.next.fetch_add(1, Ordering::AcqRel);
            let Some(item) = self.items.get(i) else {
                return;
            };
            let _finished = Finished(self);
            f(i, item);
        }
    }

    /// Wait until every item is finished, by whichever thread took it.
    pub fn wait(&self) {
        if let Ok(n) = self.finished.lock() {
            drop(self.finished_cv.wait_while(n, |n| *n < self.items.len()));
        }
    }

    /// The items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many items are finished.
    #[cfg(test)]
    pub fn finished(&self) -> usize {
        self.finished.lock().map_or(0, |n| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_done_once_by_whoever_comes_first() {
        static A: Ahead<u32, String> = Ahead::new();
        // Done ahead: taken once.
        A.run(1, |k| format!("việc {k}"));
        assert!(A.has(&1));
        assert_eq!(A.take(&1), Some("việc 1".to_string()));
        assert_eq!(A.take(&1), None);
        // Nothing registered.
        assert_eq!(A.take(&2), None);
    }

    #[test]
    fn a_taker_waits_for_work_under_way() {
        static B: Ahead<u32, u64> = Ahead::new();
        static STARTED: AtomicBool = AtomicBool::new(false);
        let worker = std::thread::spawn(|| {
            B.run(7, |_| {
                STARTED.store(true, Ordering::Release);
                std::thread::sleep(std::time::Duration::from_millis(50));
                42
            })
        });
        while !STARTED.load(Ordering::Acquire) {
            std::thread::yield_now();
        }
        // Claimed by the worker, still working: the taker waits for its result.
        assert_eq!(B.take(&7), Some(42));
        let _ = worker.join();
    }
}
