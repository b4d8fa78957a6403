//! The users' languages. Every string the console shows comes from
//! [`catalogue`]; the language can be switched while the console runs.

mod catalogue;
mod lang;

pub use catalogue::Msg;
pub use lang::Lang;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_from_cli_and_locales() {
        assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C.UTF-8"), Some(Lang::En));
        // Traditional Chinese is not Simplified: we do not pretend to speak it.
        assert_eq!(Lang::from_tag("zh_TW.UTF-8"), None);
        assert!("fr".parse::<Lang>().unwrap_err().contains("zh-CN"));
    }

    #[test]
    fn every_language_round_trips_through_its_tag() {
        for lang in Lang::ALL {
            assert_eq!(lang.tag().parse::<Lang>(), Ok(lang));
            assert_ne!(lang.next(), lang);
        }
    }
}
