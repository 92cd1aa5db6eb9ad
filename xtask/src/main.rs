//! `cargo xtask <command>`; see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  check     [--spec PATH] [--examples DIR]
            lint the spec and validate its examples and the fixture files against their schemas
  fixtures  [--check] [--spec PATH] [--examples DIR]
            regenerate openapi/examples/ from the spec (--check: only report differences)
  generate  [--check] [--spec PATH] [--out DIR]
            write the generated client into generated/ (--check: only run the generator)
  help      print this message";

/// Parsed command line.
struct Args {
    command: String,
    check: bool,
    spec: PathBuf,
    examples: PathBuf,
    out: PathBuf,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = args.next().ok_or("no command given")?;
    if !["check", "fixtures", "generate", "help", "--help", "-h"].contains(&command.as_str()) {
        return Err(format!("unknown command `{command}`"));
    }
    let mut parsed = Args {
        command,
        check: false,
        spec: xtask::default_spec(),
        examples: xtask::default_examples(),
        out: xtask::default_generated(),
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (arg, None),
        };
        let allowed: &[&str] = match parsed.command.as_str() {
            "check" => &["--spec", "--examples"],
            "fixtures" => &["--check", "--spec", "--examples"],
            "generate" => &["--check", "--spec", "--out"],
            _ => &[],
        };
        if !allowed.contains(&flag.as_str()) {
            return Err(format!("unexpected argument `{flag}` for `{}`", parsed.command));
        }
        if flag == "--check" {
            if inline.is_some() {
                return Err("--check takes no value".into());
            }
            parsed.check = true;
            continue;
        }
        let value = inline.or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--spec" => parsed.spec = value.into(),
            "--examples" => parsed.examples = value.into(),
            _ => parsed.out = value.into(),
        }
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
