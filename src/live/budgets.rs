//! Rate budgets that every node takes from together (the activity log's
//! posting budgets), when the engine is shared.

use std::time::Duration;

/// `cells` to take at once from the budget under `key`, which refills one
/// cell every `period` and holds at most `burst` (GCRA).
#[derive(Debug, Clone)]
pub struct SharedBudget {
    pub key: String,
    pub period: Duration,
    pub burst: u32,
    pub cells: u32,
}

/// What the shared budgets said to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Every budget had room: all were taken.
    All,
    /// The budget at `index` had no room (none was taken); it will in
    /// `wait`.
    Refused { index: usize, wait: Duration },
}
