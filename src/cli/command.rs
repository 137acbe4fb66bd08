//! The command line itself: its grammar (clap) and the exit codes every command shares.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Generator;
use redline::ImportSource;

use crate::input::stdin_once;
use crate::output::{escaped, note, Stdout};
use crate::policy::{Browser, Form};
use crate::{check, conversion, explain, policy, targets};

/// What a run ended with. Usage errors and unreadable files are 2, as clap's own usage errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Nothing wrong (warnings at most, unless they are denied).
    Clean = 0,
    /// The input has an error: a configuration that does not parse, warnings denied.
    Found = 1,
    /// The command could not do its work: bad arguments, a file that cannot be read.
    Usage = 2,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON document, for CI annotations and scripts.
    Json,
}

/// The files `import` converts, named as the options page's import names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Source {
    /// AWS Extend Switch Roles' configuration (INI).
    Aesr,
    /// The AWS CLI's `~/.aws/config`.
    AwsConfig,
}

#[derive(Debug, Parser)]
#[command(
    name = "redline",
    version,
    about = "Checks, explains and rolls out redline configurations with the extension's own core."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks configuration files as the options page does: every error and warning, at FILE:LINE:COLUMN.
    Check {
        /// Configuration files (TOML); `-` reads standard input.
        #[arg(required = true)]
        files: Vec<String>,
        /// Warnings fail the check too (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The verdict a tab at URL would get: environment, privilege, severity and every reason.
    Explain {
        /// The tab's address.
        url: String,
        /// The page's signals as the content script sends them: a JSON object of strings; `@FILE`
        /// reads it from FILE, `-` from standard input.
        #[arg(long, value_name = "JSON|@FILE|-")]
        signals: Option<String>,
        /// The AWS console's `awsc-session-data` meta tag content (signal `awsSessionData`).
        #[arg(long, value_name = "JSON")]
        meta: Option<String>,
        /// The raw `aws-userInfo` cookie (signal `awsUserInfo`).
        #[arg(long, value_name = "TEXT")]
        cookie: Option<String>,
        /// The AWS account menu button's text, e.g. `Admin/jane` (signal `awsNavUser`).
        #[arg(long, value_name = "TEXT")]
        nav: Option<String>,
        /// Any signal by the content script's name, e.g. `--signal gcpProjectName=Production`.
        #[arg(long = "signal", value_name = "NAME=TEXT", value_parser = named_signal)]
        named: Vec<(String, String)>,
        /// Your configuration (the options page's text); the bundled seed when not given.
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
        /// The organisation's configuration (the `config` policy).
        #[arg(long, value_name = "FILE")]
        policy: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The popup's switch targets, in its order: environment, label, detail.
    Targets {
        /// Your configuration (the options page's text).
        file: String,
        /// Only the rows holding every one of these words, as the popup filters as you type.
        #[arg(long, value_name = "WORDS")]
        filter: Option<String>,
        /// The organisation's configuration (the `config` policy).
        #[arg(long, value_name = "FILE")]
        policy: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Converts another tool's profiles: the TOML on standard output, a report per line on standard error.
    Import {
        /// The file's format.
        source: Source,
        /// The file to convert; `-` reads standard input.
        file: String,
        /// Prints this configuration with the converted text appended (its own text untouched),
        /// once the whole parses.
        #[arg(long, value_name = "FILE")]
        merge: Option<String>,
        /// Writes the result into FILE instead of standard output: whole, once it parses, or not at
        /// all (FILE is then left as it was). `--merge FILE --output FILE` merges in place.
        #[arg(long, short, value_name = "FILE")]
        output: Option<String>,
    },
    /// The managed-policy document that puts FILE in force as the organisation's configuration.
    Policy {
        /// The organisation's configuration; checked first, as `redline check` does.
        file: String,
        #[arg(long, value_enum)]
        browser: Browser,
        /// json: Chrome/Edge on Linux, Firefox everywhere; reg: Windows; plist: macOS.
        #[arg(long, value_enum, default_value_t = Form::Json)]
        format: Form,
        /// Another extension id than the manifest's (a Web Store or signed build): 32 letters a–p
        /// for Chrome and Edge, name@domain or {GUID} for Firefox.
        #[arg(long, value_name = "ID")]
        extension_id: Option<String>,
        /// Writes the policy into FILE instead of standard output: whole, once the configuration
        /// checked, or not at all (FILE is then left as it was).
        #[arg(long, short, value_name = "FILE")]
        output: Option<String>,
    },
    /// Prints a shell's completion script for redline.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// Runs the command line of this process.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Stdout::new();
    let outcome = match command(cli.command, &mut out).and_then(|outcome| out.flush().map(|()| outcome)) {
        Ok(outcome) => outcome,
        // A reader that went away (`redline … | head`) is no error: `Stdout` dropped the rest.
        Err(error) => complain(&format!("cannot write standard output: {error}")),
    };
    ExitCode::from(outcome as u8)
}

/// Runs one command, its output into `out`.
fn command(command: Command, out: &mut dyn Write) -> io::Result<Outcome> {
    let inputs: Vec<Option<&str>> = match &command {
        Command::Check { files, .. } => files.iter().map(|f| Some(f.as_str())).collect(),
        Command::Explain { signals, config, policy, .. } => {
            vec![signals.as_deref(), config.as_deref(), policy.as_deref()]
        }
        Command::Targets { file, policy, .. } => vec![Some(file), policy.as_deref()],
        Command::Import { file, merge, .. } => vec![Some(file), merge.as_deref()],
        Command::Policy { .. } | Command::Completions { .. } => Vec::new(),
    };
    if let Err(message) = stdin_once(inputs) {
        return Ok(complain(&message));
    }
    match command {
        Command::Check { files, deny_warnings, format } => check::run(&files, deny_warnings, format, out),
        Command::Explain { url, signals, meta, cookie, nav, named, config, policy, format } => {
            let mut page = explain::Page { signals: signals.as_deref(), named: Vec::new() };
            let short = [("awsSessionData", &meta), ("awsUserInfo", &cookie), ("awsNavUser", &nav)];
            page.named.extend(short.iter().filter_map(|(name, value)| Some((*name, value.as_deref()?))));
            page.named.extend(named.iter().map(|(name, value)| (name.as_str(), value.as_str())));
            let texts = explain::Texts { config: config.as_deref(), policy: policy.as_deref() };
            explain::run(&url, &page, &texts, format, out)
        }
        Command::Targets { file, filter, policy, format } => {
            targets::run(&file, policy.as_deref(), filter.as_deref(), format, out)
        }
        Command::Import { source, file, merge, output } => {
            let source = match source {
                Source::Aesr => ImportSource::ExtendSwitchRoles,
                Source::AwsConfig => ImportSource::AwsCliConfig,
            };
            conversion::run(source, &file, merge.as_deref(), output.as_deref(), out)
        }
        Command::Policy { file, browser, format, extension_id, output } => {
            policy::run(&file, browser, format, extension_id.as_deref(), output.as_deref(), out)
        }
        Command::Completions { shell } => {
            let mut cli = Cli::command();
            cli.set_bin_name("redline");
            cli.build();
            shell.try_generate(&cli, out)?;
            Ok(Outcome::Clean)
        }
    }
}

/// Prints a problem that stops a command (an unreadable file, a bad argument) on standard error.
pub fn complain(message: &str) -> Outcome {
    note(&format!("redline: {}", escaped(message)));
    Outcome::Usage
}

/// `NAME=TEXT`, split at the first `=`.
fn named_signal(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("'{text}' is not NAME=TEXT, e.g. awsNavUser=Admin/jane"))
}
