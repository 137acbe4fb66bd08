//! Where the command line's output goes, and how what it did not write itself is shown.
//!
//! Standard output is written through [`Stdout`], which returns `io::Result` instead of panicking
//! as `print!` does: a reader that went away (`redline check … | head -1`) ends the output quietly,
//! a full disk is reported (`redline: cannot write standard output: …`, exit 2). `--output FILE`
//! goes through [`write_atomically`]: a temporary file beside FILE, renamed over it once complete.
//! Every text for people passes the file's and signals' own text through [`escaped`], so that a
//! control character in a configuration cannot move the cursor, colour a terminal or start a line
//! of its own (a forged `FILE:LINE:COLUMN`, a GitHub `::error` workflow command).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, ErrorKind, Write};
use std::path::Path;

/// Standard output, for a reader that may go away: once a write finds the pipe closed, the rest
/// is dropped (nobody reads it) and every later write succeeds. Other errors are returned.
pub struct Stdout {
    inner: io::Stdout,
    closed: bool,
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout { inner: io::stdout(), closed: false }
    }

    fn outcome<T>(&mut self, result: io::Result<T>, done: T) -> io::Result<T> {
        match result {
            Err(error) if error.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.outcome(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.outcome(result, ())
    }
}

/// Writes a line on standard error. A standard error that cannot be written is not worth a panic:
/// there is nowhere left to say so.
pub fn note(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes()).and_then(|()| stderr.write_all(b"\n"));
}

/// `text` with every control character written as an escape (`\n`, `\t`, `\u{1b}`), and the
/// Unicode line and paragraph separators too: one line stays one line, and a terminal is never
/// sent a sequence it would act on.
pub fn escaped(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes `contents` to `path` so that `path` holds either its old contents or all of the new,
/// never part: a temporary file in the same folder (so the rename stays on one file system),
/// written, synced, given the old file's permissions, then renamed over `path`. On any error the
/// temporary file is removed and `path` is left as it was.
pub fn write_atomically(path: &str, contents: &[u8]) -> io::Result<()> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target.file_name().ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    let mut temporary = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(".{}.redline-{}-{attempt}.tmp", name.to_string_lossy(), std::process::id()));
        match File::options().write(true).create_new(true).open(&candidate) {
            Ok(file) => {
                temporary = Some((candidate, file));
                break;
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    let (temporary, mut file) =
        temporary.ok_or_else(|| io::Error::new(ErrorKind::AlreadyExists, "no free temporary file name"))?;
    let written = (|| {
        file.write_all(contents)?;
        if let Ok(old) = std::fs::metadata(target) {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Whether standard output is the file `path` (`redline import … --merge me.toml > me.toml`):
/// the same device and inode.
#[cfg(unix)]
pub fn stdout_is(path: &str) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(stdout) = io::stdout().as_fd().try_clone_to_owned() else { return false };
    let (Ok(out), Ok(file)) = (File::from(stdout).metadata(), std::fs::metadata(path)) else { return false };
    out.dev() == file.dev() && out.ino() == file.ino()
}

/// Not known on this system: assumed not.
#[cfg(not(unix))]
pub fn stdout_is(_path: &str) -> bool {
    false
}
