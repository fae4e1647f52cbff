//! Whether a new password is too easy to guess, by zxcvbn's estimate of
//! the guesses an attacker needs, with the username as something an
//! attacker knows.

use zxcvbn::feedback::Warning;
use zxcvbn::{zxcvbn, Score};

/// The lowest score accepted: 2 needs about 10^8 guesses, far beyond what
/// the login throttle lets through, and still allows an easily remembered
/// passphrase of three common words.
const LOWEST_SCORE: Score = Score::Two;

/// How many characters of a password are weighed. zxcvbn's work grows
/// steeply with length (100 characters of l33t symbols took 0.6 s, 32 at
/// most 0.06 s), and a beginning that is hard to guess is hard to guess
/// whatever follows it.
const WEIGHED_CHARS: usize = 32;

/// Why `password` is too easy to guess for the account `username`, in
/// words for the form, with zxcvbn's warning and suggestion; `None` when
/// it is fine. Takes up to tens of milliseconds: call it off the async
/// workers.
pub fn weakness(password: &str, username: &str) -> Option<String> {
    let weighed: String = password.chars().take(WEIGHED_CHARS).collect();
    let estimate = zxcvbn(&weighed, &[username.trim()]);
    let feedback = estimate.feedback();
    let warning = feedback.and_then(|f| f.warning());
    let common = matches!(
        warning,
        Some(Warning::ThisIsATop10Password)
            | Some(Warning::ThisIsATop100Password)
            | Some(Warning::ThisIsACommonPassword)
    );
    if estimate.score() >= LOWEST_SCORE && !common {
        return None;
    }
    let mut message = String::from("This password is too easy to guess.");
    if let Some(warning) = warning {
        message.push_str(&format!(" {warning}"));
    }
    if let Some(suggestion) = feedback.and_then(|f| f.suggestions().first()) {
        message.push_str(&format!(" {suggestion}"));
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::weakness;

    #[test]
    fn common_repeated_and_own_name_passwords_are_weak_and_passphrases_are_not() {
        for password in ["password", "12345678", "        ", "readerone", "Readerone"] {
            assert!(weakness(password, "readerone").is_some(), "{password:?}");
        }
        assert!(weakness("coffee mug on a windowsill", "readerone").is_none());
    }

    #[test]
    fn a_weak_password_is_told_why_and_what_to_do() {
        let message = weakness("password", "alice").unwrap_or_default();
        assert!(message.contains("top-10 common password"), "{message}");
        assert!(message.contains("Add another word"), "{message}");
    }
}
