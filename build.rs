//! Rebuilds when a migration is added or changed: they are embedded in the
//! binary, and the macro that embeds them is not told when they change.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
