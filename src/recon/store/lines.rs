//! The file line each row came from, held as runs of consecutive lines
//! (one run for a clean file) rather than four bytes a row.

/// The file lines a file's rows came from, by row. A row's line is nearly
/// always the one after the last row's, so the lines are held as runs of
/// consecutive lines (one run for a clean file), not four bytes a row: rows
/// are held by the ten million. A row on a line of its own after a
/// rejected row, a blank line or a quoted line break starts a run.
#[derive(Clone, Debug, Default)]
pub struct LineMap {
    /// `(first row, its line)` of each run, in row order.
    runs: Vec<(u32, u32)>,
    rows: u32,
}

impl LineMap {
    /// Adds the next row's line.
    pub fn push(&mut self, line: u32) {
        let follows = self.runs.last().is_some_and(|&(row, first)| {
            u64::from(first) + u64::from(self.rows - row) == u64::from(line)
        });
        if !follows {
            self.runs.push((self.rows, line));
        }
        self.rows += 1;
    }

    /// Row `row`'s line (0 for a row never added).
    pub fn line(&self, row: usize) -> u32 {
        let run = self
            .runs
            .partition_point(|&(first, _)| first as usize <= row);
        match run.checked_sub(1).map(|r| self.runs[r]) {
            Some((first, line)) if row < self.rows as usize => {
                line.saturating_add(row as u32 - first)
            }
            _ => 0,
        }
    }

    /// Adds `other`'s rows after these.
    pub fn append(&mut self, other: &LineMap) {
        let by = self.rows;
        for &(row, line) in &other.runs {
            let follows = self.runs.last().is_some_and(|&(r, first)| {
                row == 0 && u64::from(first) + u64::from(by - r) == u64::from(line)
            });
            if !follows {
                self.runs.push((row + by, line));
            }
        }
        self.rows += other.rows;
    }

    pub fn len(&self) -> usize {
        self.rows as usize
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_map_gives_back_each_rows_line_however_its_blocks_were_joined() {
        // Clean runs, a gap (a rejected row or a quoted line break), and a
        // saturated line, split into blocks at every place and joined.
        let lines = [2, 3, 4, 7, 8, 10, 11, 12, 13, u32::MAX, u32::MAX, 20];
        for cut in 0..=lines.len() {
            for cut2 in cut..=lines.len() {
                let mut joined = LineMap::default();
                for part in [&lines[..cut], &lines[cut..cut2], &lines[cut2..]] {
                    let mut block = LineMap::default();
                    part.iter().for_each(|&l| block.push(l));
                    joined.append(&block);
                }
                let read: Vec<u32> = (0..joined.len()).map(|i| joined.line(i)).collect();
                assert_eq!(read, lines, "cut at {cut} and {cut2}");
                // Runs: [2..4], [7..8], [10..13], MAX, MAX, [20].
                assert_eq!(joined.runs.len(), 6);
                assert_eq!(joined.line(lines.len()), 0);
            }
        }
        assert_eq!(LineMap::default().line(0), 0);
    }
}
