//! Which text encoding a file is in, and its text. Contact-centre exports come as UTF-8 (with
//! or without the byte-order mark Excel adds), as UTF-16 with a mark (Excel's "Unicode text")
//! or, from Chinese Excel and most Chinese platforms, as GB18030/GBK. The guess is shown to the
//! lead, who can confirm or override it before anything is read further.

use crate::problem::{ImportProblem, Refusal};

kappa_domain::coded!(
    pub enum SourceEncoding {
        Utf8 => "utf-8",
        Utf8Bom => "utf-8-bom",
        Utf16Le => "utf-16le",
        Utf16Be => "utf-16be",
        Gb18030 => "gb18030",
    }
);

impl SourceEncoding {
    fn coding(self) -> &'static encoding_rs::Encoding {
        match self {
            SourceEncoding::Utf8 | SourceEncoding::Utf8Bom => encoding_rs::UTF_8,
            SourceEncoding::Utf16Le => encoding_rs::UTF_16LE,
            SourceEncoding::Utf16Be => encoding_rs::UTF_16BE,
            SourceEncoding::Gb18030 => encoding_rs::GB18030,
        }
    }

    /// The byte-order mark this encoding starts with, if it has one.
    fn mark(self) -> &'static [u8] {
        match self {
            SourceEncoding::Utf8Bom => b"\xEF\xBB\xBF",
            SourceEncoding::Utf16Le => b"\xFF\xFE",
            SourceEncoding::Utf16Be => b"\xFE\xFF",
            SourceEncoding::Utf8 | SourceEncoding::Gb18030 => b"",
        }
    }
}

/// The encoding of a file from its first bytes: a byte-order mark decides; without one, text
/// that is valid UTF-8 is UTF-8 and anything else that decodes cleanly as GB18030 is GB18030.
/// `head` may end in the middle of a character: only the last few bytes may be cut.
pub fn detect(head: &[u8]) -> Result<SourceEncoding, Refusal> {
    for marked in [
        SourceEncoding::Utf8Bom,
        SourceEncoding::Utf16Le,
        SourceEncoding::Utf16Be,
    ] {
        if head.starts_with(marked.mark()) {
            return Ok(marked);
        }
    }
    // A character cut at the end of the sample is not a wrong encoding.
    let whole = match std::str::from_utf8(head) {
        Ok(_) => return Ok(SourceEncoding::Utf8),
        Err(e) if e.error_len().is_none() => return Ok(SourceEncoding::Utf8),
        Err(e) => e.valid_up_to(),
    };
    let (_, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(trim_cut(head));
    if had_errors {
        Err(Refusal::new(ImportProblem::UnknownEncoding).at_byte(whole as u64))
    } else {
        Ok(SourceEncoding::Gb18030)
    }
}

/// `head` without a GB18030 character cut at its end (one to three bytes).
fn trim_cut(head: &[u8]) -> &[u8] {
    let mut end = head.len();
    // A GB18030 character is one byte below 0x80, or two or four starting with 0x81..=0xFE.
    let mut i = 0;
    while i < head.len() {
        let b = head[i];
        let len = if b < 0x80 {
            1
        } else if head.get(i + 1).is_some_and(|n| (0x30..=0x39).contains(n)) {
            4
        } else {
            2
        };
        if i + len > head.len() {
            end = i;
            break;
        }
        i += len;
    }
    &head[..end]
}

/// A reader of a file's text as UTF-8 bytes, whatever `encoding` the file is in, its byte-order
/// mark left out: what the CSV and JSON parsers read, a buffer at a time, so a file of any size
/// is never held whole. A byte sequence the encoding cannot hold stops the reading with the line
/// it is on: a wrong guess shows at once, not as replacement characters in stored calls.
pub struct Utf8Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    unread: std::ops::Range<usize>,
    output: Vec<u8>,
    ready: std::ops::Range<usize>,
    /// Whole lines handed out so far, for the line of a malformed sequence.
    lines: u64,
    /// The inner reader is at its end.
    finished: bool,
    /// The decoder has been told so and has given everything.
    ended: bool,
    /// The line of a byte sequence the encoding cannot hold, once met.
    malformed_at: Option<u64>,
}

const BUFFER: usize = 64 * 1024;

impl<R: std::io::Read> Utf8Reader<R> {
    pub fn new(inner: R, encoding: SourceEncoding) -> Self {
        Utf8Reader {
            inner,
            // The mark is dropped however the first bytes arrive (a short first read too).
            decoder: encoding.coding().new_decoder_with_bom_removal(),
            input: vec![0; BUFFER],
            unread: 0..0,
            output: vec![0; BUFFER * 3],
            ready: 0..0,
            lines: 0,
            finished: false,
            ended: false,
            malformed_at: None,
        }
    }

    /// Decodes the next stretch into `output`; false at the end of the file.
    fn fill(&mut self) -> std::io::Result<bool> {
        loop {
            if let Some(line) = self.malformed_at {
                // The text before the bad sequence was handed out first: now the refusal.
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    Refusal::new(ImportProblem::WrongEncoding).at_line(line),
                ));
            }
            if self.ended {
                return Ok(false);
            }
            if self.unread.is_empty() && !self.finished {
                let n = self.inner.read(&mut self.input)?;
                self.unread = 0..n;
                self.finished = n == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.unread.clone()],
                &mut self.output,
                self.finished,
            );
            self.unread.start += read;
            let newlines = self.output[..written]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.lines += newlines;
            self.ready = 0..written;
            match result {
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    self.malformed_at = Some(self.lines + 1);
                }
                // A decoder told the input is over is done for good.
                encoding_rs::DecoderResult::InputEmpty if self.finished => self.ended = true,
                _ => {}
            }
            if written > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: std::io::Read> std::io::Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ready.is_empty() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.ready.len());
        buf[..n].copy_from_slice(&self.output[self.ready.start..self.ready.start + n]);
        self.ready.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_decide_and_gbk_is_told_from_utf8() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b").unwrap(), SourceEncoding::Utf8Bom);
        assert_eq!(detect(b"\xFF\xFEa\0").unwrap(), SourceEncoding::Utf16Le);
        assert_eq!(detect(b"\xFE\xFF\0a").unwrap(), SourceEncoding::Utf16Be);
        assert_eq!(
            detect("通话ID,坐席".as_bytes()).unwrap(),
            SourceEncoding::Utf8
        );
        // 通话 in GBK.
        assert_eq!(
            detect(b"\xCD\xA8\xBB\xB0ID").unwrap(),
            SourceEncoding::Gb18030
        );
        // A UTF-8 character cut by the sample's end is still UTF-8.
        let cut = &"通话".as_bytes()[..4];
        assert_eq!(detect(cut).unwrap(), SourceEncoding::Utf8);
    }

    #[test]
    fn text_that_is_no_known_encoding_is_refused() {
        let refused = detect(b"ok\x80\xFF\xFF\xFF").unwrap_err();
        assert_eq!(refused.problem, ImportProblem::UnknownEncoding);
        let wrong = decode(b"a,b\n1,2\n\xCD\xA8\xBB\xB0,1", SourceEncoding::Utf8).unwrap_err();
        assert_eq!(wrong.problem, ImportProblem::WrongEncoding);
        assert_eq!(wrong.line, Some(3));
    }

    fn decode(bytes: &[u8], encoding: SourceEncoding) -> Result<String, Refusal> {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut Utf8Reader::new(bytes, encoding), &mut text)
            .map_err(|e| Refusal::from_io(&e))?;
        Ok(text)
    }

    #[test]
    fn long_text_decodes_across_buffers() {
        let line = "通话,坐席工号\n";
        let text = line.repeat(20_000);
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(decode(&gbk, SourceEncoding::Gb18030).unwrap(), text);
        let mut bad = gbk.into_owned();
        let at = 14 * 15_000;
        bad[at] = 0xFF;
        bad[at + 1] = 0xFF;
        assert_eq!(
            decode(&bad, SourceEncoding::Gb18030).unwrap_err().line,
            Some(15_001)
        );
    }

    #[test]
    fn decoding_drops_the_mark() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFid", SourceEncoding::Utf8Bom).unwrap(),
            "id"
        );
        assert_eq!(
            decode(b"\xFF\xFEi\0d\0", SourceEncoding::Utf16Le).unwrap(),
            "id"
        );
        assert_eq!(
            decode(b"\xCD\xA8\xBB\xB0", SourceEncoding::Gb18030).unwrap(),
            "通话"
        );
    }
}
