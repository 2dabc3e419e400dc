//! Long lists (every account, every finding, every account's section)
//! rendered in parallel, a run of items to a buffer, and written in their
//! order: the bytes one thread would write, holding a few groups of buffers
//! rather than the whole document.

use std::io::{self, Write};
use std::sync::Mutex;

use rayon::prelude::*;

/// Runs rendered at once, while the group before them is written.
const RUNS_AT_ONCE: usize = 64;

/// Writes `items` to `out` in order, each as `render` puts it (given its
/// index in `items`) into a buffer, `run` items to a buffer. Items are
/// rendered as they are written rather than all at once, and the buffers
/// are used again from group to group: memory first touched costs more than
/// rendering.
pub fn write_in_order<'i, S: Sync>(
    items: &'i [S],
    run: usize,
    render: impl Fn(usize, &'i S, &mut Vec<u8>) -> io::Result<()> + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    let run = run.max(1);
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::default();
    let take_spare = || {
        let mut buf = spare
            .lock()
            .map(|mut s| s.pop())
            .ok()
            .flatten()
            .unwrap_or_default();
        buf.clear();
        buf
    };
    let group_len = run * RUNS_AT_ONCE;
    let render_group = |g: usize, group: &'i [S]| -> io::Result<Vec<Vec<u8>>> {
        group
            .par_chunks(run)
            .enumerate()
            .map(|(r, items)| {
                let mut buf = take_spare();
                let first = g * group_len + r * run;
                for (i, item) in items.iter().enumerate() {
                    render(first + i, item, &mut buf)?;
                }
                Ok(buf)
            })
            .collect()
    };
    // Each group is written (here: the writer is not `Send`) while the next
    // is rendered, so that the writing, one thread's work, does not leave
    // the other cores idle; its buffers are then spare for the group after.
    let mut written: Vec<Vec<u8>> = Vec::new();
    let mut write_out = |written: Vec<Vec<u8>>| -> io::Result<()> {
        written.iter().try_for_each(|buf| out.write_all(buf))?;
        if let Ok(mut s) = spare.lock() {
            s.extend(written);
        }
        Ok(())
    };
    for (g, group) in items.chunks(group_len).enumerate() {
        let mut rendered = Ok(Vec::new());
        let wrote = rayon::in_place_scope(|s| {
            s.spawn(|_| rendered = render_group(g, group));
            write_out(std::mem::take(&mut written))
        });
        wrote?;
        written = rendered?;
    }
    write_out(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_written_in_order_with_their_indices_across_runs_and_groups() {
        for (len, run) in [
            (0, 4),
            (1, 4),
            (4, 4),
            (5, 4),
            (256, 4),
            (257, 4),
            (1000, 1),
            (3, 0),
        ] {
            let items: Vec<usize> = (0..len).map(|i| i * 7).collect();
            let mut out = Vec::new();
            write_in_order(
                &items,
                run,
                |i, item, buf| {
                    writeln!(buf, "{i}:{item}")?;
                    Ok(())
                },
                &mut out,
            )
            .expect("write");
            let expected: String = items
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{i}:{v}\n"))
                .collect();
            assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                expected,
                "{len} items, runs of {run}"
            );
        }
    }

    #[test]
    fn a_failed_render_is_an_error() {
        let items = vec![1, 2, 3];
        let mut out = Vec::new();
        let result = write_in_order(
            &items,
            1,
            |_, &item, _| {
                if item == 2 {
                    Err(io::Error::other("bad item"))
                } else {
                    Ok(())
                }
            },
            &mut out,
        );
        assert_eq!(
            result.map_err(|e| e.to_string()),
            Err("bad item".to_string())
        );
    }
}
