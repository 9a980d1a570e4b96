//! The language of the words on a map or in a report, and names that have one form per language.

use std::fmt;

/// A language the tool writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order they are offered.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The ISO 639-1 code (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language of an ISO 639-1 code.
    ///
    /// ```
    /// use controlmap::lang::Lang;
    /// assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
    /// assert_eq!(Lang::from_code("de"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// One of two words: the English or the French.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A name with an English form and optional forms in other languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names {
    /// The English (and fallback) form.
    pub en: String,
    /// The French form, when the data gives one.
    pub fr: Option<String>,
}

impl Names {
    /// A name with one form only.
    pub fn new(en: impl Into<String>) -> Names {
        Names {
            en: en.into(),
            fr: None,
        }
    }

    /// The form in `lang`, falling back to English.
    ///
    /// ```
    /// use controlmap::lang::{Lang, Names};
    /// let n = Names { en: "Timbuktu".into(), fr: Some("Tombouctou".into()) };
    /// assert_eq!(n.get(Lang::Fr), "Tombouctou");
    /// assert_eq!(Names::new("Gao").get(Lang::Fr), "Gao");
    /// ```
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.fr) {
            (Lang::Fr, Some(fr)) => fr,
            _ => &self.en,
        }
    }
}
