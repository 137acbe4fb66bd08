//! `redline` on the command line: the extension's own core, for configurations kept as code. It
//! checks a configuration as the options page does, explains the verdict a tab would get, lists
//! the popup's targets, imports other tools' files and writes the policy files fleet tools deploy.
//!
//! Native only: the wasm build compiles none of this (Cargo.toml keeps clap off wasm32).

#[cfg(not(target_arch = "wasm32"))]
mod check;
#[cfg(not(target_arch = "wasm32"))]
mod command;
#[cfg(not(target_arch = "wasm32"))]
mod configuration;
#[cfg(not(target_arch = "wasm32"))]
mod conversion;
#[cfg(not(target_arch = "wasm32"))]
mod explain;
#[cfg(not(target_arch = "wasm32"))]
mod input;
#[cfg(not(target_arch = "wasm32"))]
mod manifest;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod policy;
#[cfg(not(target_arch = "wasm32"))]
mod targets;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    command::run()
}

/// `cargo build --target wasm32-unknown-unknown` without `--lib` builds this too: nothing to run.
#[cfg(target_arch = "wasm32")]
fn main() {}
