//! Passwordless sign-in codes: single use, short-lived, limited attempts.
//!
//! A code is 8 characters from Crockford's base32 alphabet (no I, L, O, U): 40 bits.
//! With [`MAX_ATTEMPTS`] guesses per code, a guess succeeds with probability 5 in 2^40.

/// Codes expire 10 minutes after they are issued.
pub const CODE_TTL_SECONDS: i64 = 10 * 60;
/// After this many wrong codes the code is dead.
pub const MAX_ATTEMPTS: u32 = 5;
pub const CODE_LEN: usize = 8;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh code from the operating system's CSPRNG, e.g. `7KQ2-M9XD` once formatted.
pub fn generate_code() -> Result<String, String> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    // 256 is a multiple of 32, so taking the low five bits is unbiased.
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect())
}

/// How a code is shown in mail: two groups of four.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LEN {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// What a person typed, normalised: case, spaces and dashes ignored, and the letters
/// people confuse with digits read as those digits (Crockford's rules).
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_alphabet_characters_and_differ() {
        let a = generate_code().unwrap();
        let b = generate_code().unwrap();
        assert_eq!(a.len(), CODE_LEN);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert_ne!(a, b);
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise_code(" 7kq2-m9xd ").as_deref(), Some("7KQ2M9XD"));
        assert_eq!(
            normalise_code("OOII LLAB").as_deref(),
            Some("00111 1AB".replace(' ', "").as_str())
        );
        assert_eq!(normalise_code("7KQ2M9X"), None);
        assert_eq!(normalise_code("7KQ2M9XU"), None);
        assert_eq!(display_code("7KQ2M9XD"), "7KQ2-M9XD");
    }
}
