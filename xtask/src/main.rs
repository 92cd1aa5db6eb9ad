//! `cargo xtask <command>`; see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

mod man;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  check       [--spec PATH] [--examples DIR]
              lint the spec and validate its examples and the fixture files against their schemas
  fixtures    [--check] [--spec PATH] [--examples DIR]
              regenerate openapi/examples/ from the spec (--check: only report differences)
  generate    [--check] [--spec PATH] [--out DIR]
              write the generated client into generated/ (--check: only run the generator)
  docs-check  PAGE... [--json] [--coverage] [--all] [--spec PATH]
              compare documentation pages (markdown or plain text) with the spec; exit 1 on drift,
              2 on a page that is not an endpoint page (--json: drift objects; --coverage: a
              markdown table of field counts; --all: also list the deliberate differences)
  man         [--out DIR]
              write the hostup command's manual pages (default target/man)
  help        print this message";

/// Parsed command line.
struct Args {
    command: String,
    check: bool,
    spec: PathBuf,
    examples: PathBuf,
    out: PathBuf,
    pages: Vec<PathBuf>,
    json: bool,
    coverage: bool,
    all: bool,
}

/// Flags that take no value.
const SWITCHES: [&str; 4] = ["--check", "--json", "--coverage", "--all"];

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = args.next().ok_or("no command given")?;
    if !["check", "fixtures", "generate", "docs-check", "man", "help", "--help", "-h"]
        .contains(&command.as_str())
    {
        return Err(format!("unknown command `{command}`"));
    }
    let mut parsed = Args {
        command,
        check: false,
        spec: xtask::default_spec(),
        examples: xtask::default_examples(),
        out: xtask::default_generated(),
        pages: Vec::new(),
        json: false,
        coverage: false,
        all: false,
    };
    while let Some(arg) = args.next() {
        if parsed.command == "docs-check" && !arg.starts_with("--") {
            parsed.pages.push(arg.into());
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (arg, None),
        };
        let allowed: &[&str] = match parsed.command.as_str() {
            "check" => &["--spec", "--examples"],
            "fixtures" => &["--check", "--spec", "--examples"],
            "generate" => &["--check", "--spec", "--out"],
            "man" => &["--out"],
            "docs-check" => &["--json", "--coverage", "--all", "--spec"],
            _ => &[],
        };
        if !allowed.contains(&flag.as_str()) {
            return Err(format!("unexpected argument `{flag}` for `{}`", parsed.command));
        }
        if SWITCHES.contains(&flag.as_str()) {
            if inline.is_some() {
                return Err(format!("{flag} takes no value"));
            }
            match flag.as_str() {
                "--check" => parsed.check = true,
                "--json" => parsed.json = true,
                "--coverage" => parsed.coverage = true,
                _ => parsed.all = true,
            }
            continue;
        }
        let value = inline.or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--spec" => parsed.spec = value.into(),
            "--examples" => parsed.examples = value.into(),
            _ => parsed.out = value.into(),
        }
    }
    if parsed.command == "docs-check" && parsed.pages.is_empty() {
        return Err("docs-check needs at least one PAGE".into());
    }
    if parsed.json && parsed.coverage {
        return Err("--json and --coverage cannot be combined".into());
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match args.command.as_str() {
        "check" => xtask::check::run(&args.spec, &args.examples),
        "fixtures" => xtask::fixtures::run(&args.spec, &args.examples, args.check),
        "generate" => xtask::generate::run(&args.spec, &args.out, args.check),
        "docs-check" => return docs_check(args),
        "man" if args.out == xtask::default_generated() => man::run(&man::default_out()),
        "man" => man::run(&args.out),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => unreachable!("parse accepts only known commands"),
    };
    match outcome {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(failures) => {
            for failure in &failures {
                eprintln!("{failure}");
            }
            eprintln!("{}: {} problem(s)", args.command, failures.len());
            ExitCode::FAILURE
        }
    }
}

fn docs_check(args: Args) -> ExitCode {
    let options = xtask::docs_check::Options {
        pages: args.pages,
        spec: args.spec,
        json: args.json,
        coverage: args.coverage,
        all: args.all,
    };
    let outcome = xtask::docs_check::run(&options);
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}
