//! Text bound for the log without the personal data it may quote: a mail
//! server's refusal names the recipient ("550 <jan@example.org>: no such
//! user"), a database error may name a value.

/// `text` with every e-mail address in it replaced by `[adres]`.
pub fn masked(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let start = (0..i).rev().take_while(|&j| local(chars[j])).last();
            let end = (i + 1..chars.len())
                .take_while(|&j| domain(chars[j]))
                .last();
            if let (Some(start), Some(end)) = (start, end) {
                let kept = out.chars().count() - (i - start);
                out = out.chars().take(kept).collect();
                out.push_str("[adres]");
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_and_the_rest_kept() {
        assert_eq!(
            masked("permanent error (550): 5.1.1 <jan.kowalski+x@example.org>: Recipient address rejected"),
            "permanent error (550): 5.1.1 <[adres]>: Recipient address rejected"
        );
        assert_eq!(masked("a@b.pl, c@d.pl"), "[adres], [adres]");
        assert_eq!(masked("zażółć@gęślą.pl!"), "[adres]!");
        assert_eq!(masked("bez adresu @ tutaj"), "bez adresu @ tutaj");
        assert_eq!(masked("błąd bazy danych"), "błąd bazy danych");
    }
}
