//! A document's fingerprint: a MinHash signature of its words, so that copies of one article
//! (republished under another id, with another byline, menu or caption) can be found among
//! thousands without comparing texts.
//!
//! The signature takes the word tokens' keys (case and tone placement folded), cuts them into
//! overlapping runs of [`SHINGLE`] words, and keeps, for each of [`SIGNATURE_LEN`] hash
//! functions, the smallest hash of any run. Two signatures agree at a position with the
//! probability that equals the Jaccard similarity of the two texts' sets of runs, so the share of
//! agreeing positions estimates how much of the text two documents share.

use super::Token;

/// Hash functions of a signature.
pub const SIGNATURE_LEN: usize = 32;

/// Words per shingle.
const SHINGLE: usize = 3;

/// A MinHash signature of a text's word shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

/// SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit value.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of bytes: stable across runs and platforms (unlike `std`'s hasher).
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Signature {
    /// The signature of the word tokens of a text. A text of fewer words than a shingle is
    /// one shingle; a text without words has the signature of the empty shingle.
    pub fn of(tokens: &[Token]) -> Signature {
        let words: Vec<&str> = tokens
            .iter()
            .filter(|t| t.word)
            .map(|t| t.key.as_str())
            .collect();
        let mut mins = [u32::MAX; SIGNATURE_LEN];
        let runs = words.len().saturating_sub(SHINGLE - 1).max(1);
        for s in 0..runs {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for w in words.iter().skip(s).take(SHINGLE) {
                h = fnv(w.as_bytes(), h);
                h = fnv(b" ", h);
            }
            for (i, m) in mins.iter_mut().enumerate() {
                let v = (mix(h ^ (i as u64).wrapping_mul(0xd6e8_feb8_6659_fd93)) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Signature(mins)
    }

    /// The share of positions where two signatures agree: an estimate of the Jaccard
    /// similarity of the two texts' shingles.
    pub fn agreement(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / SIGNATURE_LEN as f64
    }

    /// Written as 256 hex digits, as the store keeps it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|v| format!("{v:08x}")).collect()
    }

    /// Read back from [`Self::to_hex`]; None for anything else.
    pub fn from_hex(s: &str) -> Option<Signature> {
        if s.len() != SIGNATURE_LEN * 8 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u32; SIGNATURE_LEN];
        for (i, v) in out.iter_mut().enumerate() {
            *v = u32::from_str_radix(&s[i * 8..i * 8 + 8], 16).ok()?;
        }
        Some(Signature(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::prepare;

    fn sig(text: &str) -> Signature {
        Signature::of(&prepare(text).tokens)
    }

    const ARTICLE: &str = "Sáng 3/5, Sở Y tế tỉnh Nam Định tổ chức hội nghị sơ kết công tác phòng chống dịch sốt xuất huyết trong bốn tháng đầu năm. Ông Trần Văn Long, Giám đốc Sở Y tế, cho biết toàn tỉnh đã ghi nhận 120 ca bệnh, giảm một nửa so với cùng kỳ năm trước nhờ chiến dịch diệt bọ gậy tại các xã ven biển. Các trạm y tế được giao rà soát từng hộ gia đình và báo cáo kết quả hằng tuần.";

    #[test]
    fn a_copy_under_another_byline_agrees_and_another_article_does_not() {
        let a = sig(ARTICLE);
        assert_eq!(a.agreement(&sig(ARTICLE)), 1.0);
        // case, tone placement and NFD do not change it
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(ARTICLE).collect();
        assert_eq!(a.agreement(&sig(&nfd)), 1.0);
        // a republished copy with a byline and a menu line
        let copy = format!("Trang chủ | Sức khỏe\n{ARTICLE}\nMinh Anh");
        assert!(
            a.agreement(&sig(&copy)) >= 0.75,
            "{}",
            a.agreement(&sig(&copy))
        );
        let other = sig("Chiều 7/5, Bộ Giáo dục và Đào tạo công bố lịch thi tốt nghiệp trung học phổ thông năm nay. Thí sinh làm bài thi trong hai ngày, kết quả được công bố vào cuối tháng sáu, các trường đại học xét tuyển theo kế hoạch chung của bộ.");
        assert!(a.agreement(&other) < 0.2, "{}", a.agreement(&other));
    }

    #[test]
    fn the_hex_form_reads_back_and_refuses_anything_else() {
        let a = sig(ARTICLE);
        assert_eq!(Signature::from_hex(&a.to_hex()), Some(a));
        assert_eq!(Signature::from_hex("abc"), None);
        assert_eq!(Signature::from_hex(&"g".repeat(256)), None);
        // an empty text has a signature too
        assert_eq!(sig("").agreement(&sig("")), 1.0);
    }
}
