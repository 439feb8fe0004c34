//! The log lines of the test binary. Every test runs in this one process, so there is
//! one global subscriber: the production one (`ecrm_core::telemetry::init_with_writer`),
//! installed once by [`init`] (every [`crate::TestApp`] calls it). Each line goes to
//! stdout, as `telemetry::init` writes it, unless a [`Capture`] claims it.
//!
//! A [`Capture`] (the logs test) enlists threads: the test's own and its runtime's
//! workers ([`Capture::enlist`] in `Builder::on_thread_start`). Lines logged on those
//! threads are its own ([`Capture::own_text`]); other tests' lines are not mixed in.
//! It also keeps every line the process logged while it lived, whatever the thread
//! ([`Capture::all_text`]), so a line of its own logged off its threads is not missed.

use std::collections::HashSet;
use std::io::Write;
use std::sync::{Arc, Mutex, Once, PoisonError, Weak};
use std::thread::ThreadId;

static INSTALL: Once = Once::new();

/// Captures alive now; dead ones are pruned as lines are written.
static CAPTURES: Mutex<Vec<Weak<Shared>>> = Mutex::new(Vec::new());

/// Install the process-wide subscriber (once; later calls do nothing). Tests must not
/// install one of their own (`telemetry::init`): it would take the place of this one,
/// and a [`Capture`] would see no line (the logs test then fails on its line count).
pub fn init() {
    INSTALL.call_once(|| ecrm_core::telemetry::init_with_writer(Tap));
}

#[derive(Default)]
struct Shared {
    threads: Mutex<HashSet<ThreadId>>,
    own: Mutex<Vec<u8>>,
    all: Mutex<Vec<u8>>,
}

/// Log lines claimed by one test (see the module documentation). Stops capturing when
/// dropped.
pub struct Capture(Arc<Shared>);

impl Capture {
    /// Start capturing, with the current thread enlisted.
    pub fn start() -> Capture {
        init();
        let shared = Arc::new(Shared::default());
        lock(&shared.threads).insert(std::thread::current().id());
        lock(&CAPTURES).push(Arc::downgrade(&shared));
        Capture(shared)
    }

    /// A hook for `tokio::runtime::Builder::on_thread_start`: each thread the runtime
    /// starts (workers and blocking threads) is enlisted before it does any work.
    pub fn enlist(&self) -> impl Fn() + Send + Sync + 'static {
        let shared = Arc::downgrade(&self.0);
        move || {
            if let Some(shared) = shared.upgrade() {
                lock(&shared.threads).insert(std::thread::current().id());
            }
        }
    }

    /// The lines logged on enlisted threads.
    pub fn own_text(&self) -> String {
        String::from_utf8(lock(&self.0.own).clone()).expect("log lines are UTF-8")
    }

    /// Every line the process logged since [`Capture::start`], on any thread.
    pub fn all_text(&self) -> String {
        String::from_utf8(lock(&self.0.all).clone()).expect("log lines are UTF-8")
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let me = Arc::as_ptr(&self.0);
        lock(&CAPTURES).retain(|c| c.as_ptr() != me && c.strong_count() > 0);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A test that panicked while holding a lock must not hide every later log line.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The subscriber's writer: one [`Line`] per event.
struct Tap;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Tap {
    type Writer = Line;
    fn make_writer(&'a self) -> Line {
        Line(Vec::new())
    }
}

/// One formatted event, routed as a whole when the subscriber is done with it.
struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let me = std::thread::current().id();
        let mut claimed = false;
        let captures: Vec<Arc<Shared>> = {
            let mut captures = lock(&CAPTURES);
            captures.retain(|c| c.strong_count() > 0);
            captures.iter().filter_map(Weak::upgrade).collect()
        };
        for capture in captures {
            lock(&capture.all).extend_from_slice(&self.0);
            if lock(&capture.threads).contains(&me) {
                lock(&capture.own).extend_from_slice(&self.0);
                claimed = true;
            }
        }
        if !claimed {
            let _ = std::io::stdout().write_all(&self.0);
        }
    }
}
