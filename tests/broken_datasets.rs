//! Every folder under tests/broken/ holds a file that breaks the Ruritania dataset in one way
//! and `expected`, the one line the tool must print. Each must exit with 2 and write nothing.

mod common;

use common::*;

#[test]
fn every_broken_dataset_is_refused_with_its_file_and_line() {
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus shrank to {}", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let data = copy_dataset(&ruritania());
        copy_into(&case, data.path());
        std::fs::remove_file(data.path().join("expected")).unwrap();
        let dir = data.path().display().to_string();
        let expected = std::fs::read_to_string(case.join("expected"))
            .unwrap()
            .replace("{dir}", &dir);
        let out_dir = tempfile::tempdir().unwrap();
        let out = out_dir.path().join("map.png");
        for args in [
            vec![
                "render",
                "--dataset",
                &dir,
                "--date",
                "2020-02-15",
                "--out",
                out.to_str().unwrap(),
            ],
            vec![
                "frames",
                "--dataset",
                &dir,
                "--out",
                out_dir.path().to_str().unwrap(),
                "--gif",
                "none",
                "-q",
            ],
        ] {
            let o = run_in(out_dir.path(), &args);
            assert_eq!(o.status.code(), Some(2), "{name}: {args:?}: {}", stderr(&o));
            assert_eq!(stderr(&o), expected, "{name}: {args:?}");
            let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
            assert!(left.is_empty(), "{name}: {args:?} wrote {left:?}");
        }
    }
}
