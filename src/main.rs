//! The `baocao` command: a thin shell over the library (arguments, planning a
//! batch, writing files, reporting).
#![warn(clippy::too_many_lines)]
mod cli;

use baocao::diag::Diagnostic;
use clap::Parser;
use cli::args::{Cli, Command, EmitArg, Limits, ProfileAction, TemplateAction};
use std::process::ExitCode;

/// Memory exhaustion ends the run with a Vietnamese message (see `cli/alloc.rs`).
#[global_allocator]
static ALLOCATOR: cli::alloc::Allocator = cli::alloc::Allocator;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", cli::args::usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match run(cli.command) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            match e.downcast_ref::<Diagnostic>() {
                Some(d) => eprint!("{d}"),
                None => eprint!("{}", Diagnostic::error(system_error(&e))),
            }
            ExitCode::FAILURE
        }
    }
}

/// Run a command; returns its exit code (0 or 1).
fn run(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Render {
            data,
            emit,
            output,
            formats,
            strict,
            jobs,
            limits,
            ..
        } => {
            let mut opts = options(output, strict, jobs, false, limits);
            opts.formats = formats;
            match emit {
                EmitArg::Markup => cli::run::markup(&data, &opts),
                EmitArg::Pdf => cli::run::render(&data, &opts),
            }
        }
        Command::Check {
            data,
            strict,
            limits,
            ..
        } => cli::run::render(&data, &options(None, strict, None, true, limits)),
        Command::Profiles { action: None, .. } => {
            list_profiles();
            Ok(0)
        }
        Command::Profiles {
            action: Some(ProfileAction::Show { name, .. }),
            ..
        } => show_profile(&name),
        Command::Preview { data, port, .. } => cli::preview::run(&data, port),
        Command::Templates { action, .. } => templates(action),
        Command::Init {
            dir,
            template,
            profile,
            ..
        } => {
            eprint!(
                "{}",
                cli::templates::init(&dir, &template, profile.as_deref())?
            );
            Ok(0)
        }
        Command::Schema { .. } => {
            print!("{}", baocao::schema::json());
            Ok(0)
        }
    }
}

/// The options of `render` and `kiem-tra`.
fn options(
    output: Option<std::path::PathBuf>,
    strict: bool,
    jobs: Option<usize>,
    check_only: bool,
    limits: Limits,
) -> cli::run::Options {
    cli::run::Options {
        output,
        strict,
        jobs,
        check_only,
        max_pages: limits.max_pages.unwrap_or(baocao::MAX_PAGES),
        allowed_dirs: limits.allowed_dirs,
        formats: Vec::new(),
        pdf_level: limits.pdfa.level(),
    }
}

/// `baocao mau [show NAME | copy NAME DIR]`.
fn templates(action: Option<TemplateAction>) -> anyhow::Result<i32> {
    match action {
        None => print!("{}", cli::templates::list()),
        Some(TemplateAction::Show { name, .. }) => print!("{}", cli::templates::show(&name)?),
        Some(TemplateAction::Copy { name, dir, .. }) => {
            eprint!("{}", cli::templates::copy(&name, &dir)?)
        }
    }
    Ok(0)
}

/// `baocao the-thuc`: the built-in profiles, with their sources and dates.
fn list_profiles() {
    println!("Các thể thức có sẵn (the_thuc = \"dang\" chọn thể thức của Đảng có hiệu lực vào ngày ban hành):");
    for p in baocao::profile::list() {
        println!();
        println!(
            "{}  (họ \"{}\", áp dụng từ {})",
            p.name, p.family, p.applies_from
        );
        println!("    {}", p.description);
        println!("    nguồn: {}", p.source);
    }
}

/// `baocao the-thuc show NAME`: one built-in profile's TOML.
fn show_profile(name: &str) -> anyhow::Result<i32> {
    let Some(text) = baocao::profile::builtin_text(name) else {
        let names: Vec<String> = baocao::profile::list()
            .into_iter()
            .map(|p| p.name)
            .collect();
        return Err(Diagnostic::error(format!("không có thể thức \"{name}\""))
            .with_hint(format!("các thể thức có sẵn: {}", names.join(", ")))
            .into());
    };
    print!("{text}");
    Ok(0)
}

/// A failure of the system (not of the report), in Vietnamese.
fn system_error(e: &anyhow::Error) -> String {
    match e.downcast_ref::<std::io::Error>() {
        Some(io) => format!("lỗi hệ thống: {}", baocao::source::io_reason(io)),
        None => format!("lỗi hệ thống: {e}"),
    }
}
