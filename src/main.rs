//! The `baocao` command: a thin shell over the library.
use baocao::batch::{plan, write_atomic, Planned};
use baocao::diag::Diagnostics;
use baocao::diag::{Diagnostic, Span};
use baocao::{Emit, Rendered, Renderer};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Help layout with Vietnamese headings (clap's own are English).
const HELP: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `-h` in Vietnamese, for every command.
#[derive(clap::Args)]
struct HelpFlag {
    /// In hướng dẫn này.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, help_heading = "Tùy chọn")]
    help: Option<bool>,
}

#[derive(Parser)]
#[command(
    name = "baocao",
    version,
    about = "Tạo báo cáo PDF theo thể thức văn bản của Đảng và Nhà nước từ tệp dữ liệu TOML và mẫu Handlebars.",
    long_about = None,
    help_template = HELP,
    override_usage = "baocao <LỆNH> [TÙY CHỌN]",
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    after_help = "\nXem hướng dẫn của từng lệnh: baocao render --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    help: HelpFlag,
    /// In số phiên bản.
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo tệp PDF từ một tệp dữ liệu báo cáo (.toml).
    #[command(
        help_template = HELP,
        override_usage = "baocao render <DỮ_LIỆU.toml> [-o TỆP.pdf] [--emit pdf|markup] [--strict]",
        disable_help_flag = true
    )]
    Render {
        /// Tệp dữ liệu báo cáo (.toml, có khóa `mau` chỉ tới tệp mẫu), hoặc thư mục: mọi tệp .toml có `mau` trong đó. Cho nhiều tệp hay thư mục để dựng nhiều báo cáo cùng lúc.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Tệp PDF đầu ra; với nhiều báo cáo (hoặc [[don_vi]]) là thư mục đầu ra. Mặc định: cạnh tệp dữ liệu, cùng tên, đuôi .pdf.
        #[arg(
            short = 'o',
            long = "output",
            value_name = "TỆP",
            help_heading = "Tùy chọn"
        )]
        output: Option<PathBuf>,
        /// Kết quả cần xuất: `pdf` (mặc định) hoặc `markup` (in văn bản sau khi điền mẫu, để kiểm tra mẫu).
        #[arg(
            long,
            value_enum,
            default_value_t = EmitArg::Pdf,
            value_name = "LOẠI",
            hide_default_value = true,
            hide_possible_values = true,
            help_heading = "Tùy chọn"
        )]
        emit: EmitArg,
        /// Coi mọi cảnh báo là lỗi (dùng trong CI).
        #[arg(long, help_heading = "Tùy chọn")]
        strict: bool,
        /// Số báo cáo dựng song song (mặc định: số lõi máy).
        #[arg(
            short = 'j',
            long = "jobs",
            value_name = "N",
            help_heading = "Tùy chọn"
        )]
        jobs: Option<usize>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Kiểm tra tệp dữ liệu và mẫu qua mọi bước (không ghi tệp PDF) và báo mọi lỗi.
    #[command(
        name = "kiem-tra",
        help_template = HELP,
        override_usage = "baocao kiem-tra <DỮ_LIỆU.toml>… [--strict]",
        disable_help_flag = true
    )]
    KiemTra {
        /// Tệp dữ liệu báo cáo (.toml) hoặc thư mục.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Coi mọi cảnh báo là lỗi.
        #[arg(long, help_heading = "Tùy chọn")]
        strict: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Liệt kê các thể thức văn bản có sẵn, kèm nguồn và ngày áp dụng.
    #[command(
        name = "the-thuc",
        help_template = HELP,
        override_usage = "baocao the-thuc [show <TÊN>]",
        subcommand_help_heading = "Lệnh",
        subcommand_value_name = "LỆNH",
        disable_help_flag = true
    )]
    TheThuc {
        #[command(subcommand)]
        action: Option<TheThucAction>,
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Subcommand)]
enum TheThucAction {
    /// In một thể thức dưới dạng TOML, để chép làm thể thức riêng (dùng với `ke_thua`).
    #[command(help_template = HELP, override_usage = "baocao the-thuc show <TÊN>", disable_help_flag = true)]
    Show {
        /// Tên thể thức, ví dụ: dang-36, dang-05, nha-nuoc.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        ten: String,
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EmitArg {
    /// Tệp PDF.
    Pdf,
    /// Văn bản markup sau khi điền mẫu.
    Markup,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Render {
            data,
            output,
            emit,
            strict,
            jobs,
            ..
        } => render(&data, output, emit, strict, jobs, false),
        Command::KiemTra { data, strict, .. } => {
            render(&data, None, EmitArg::Pdf, strict, None, true)
        }
        Command::TheThuc { action: None, .. } => {
            println!("Các thể thức có sẵn (the_thuc = \"dang\" chọn thể thức của Đảng có hiệu lực vào ngày ban hành):");
            for p in baocao::profile::list() {
                println!();
                println!("{}  (họ \"{}\", áp dụng từ {})", p.ten, p.ho, p.ap_dung_tu);
                println!("    {}", p.mo_ta);
                println!("    nguồn: {}", p.nguon);
            }
            ExitCode::SUCCESS
        }
        Command::TheThuc {
            action: Some(TheThucAction::Show { ten, .. }),
            ..
        } => match baocao::profile::builtin_text(&ten) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<String> =
                    baocao::profile::list().into_iter().map(|p| p.ten).collect();
                eprint!(
                    "{}",
                    Diagnostic::error(format!("không có thể thức \"{ten}\""))
                        .with_hint(format!("các thể thức có sẵn: {}", names.join(", ")))
                );
                ExitCode::FAILURE
            }
        },
    }
}

/// A command-line mistake, in Vietnamese.
fn usage_error(e: &clap::Error) -> Diagnostic {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu tham số bắt buộc: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh (ví dụ: baocao render bao-cao.toml)".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\"", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => {
            format!("không có tùy chọn \"{}\"", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => format!(
            "giá trị \"{}\" không hợp lệ cho {} (dùng một trong: {})",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ArgumentConflict => "các tùy chọn không dùng cùng nhau được".to_string(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("thừa tham số: {}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("dòng lệnh không hợp lệ: {}", e.kind()),
    };
    Diagnostic::error(msg).with_hint("xem cách dùng: baocao --help")
}

/// Print the stage timings of a render when `BAOCAO_TIMINGS` is set.
fn print_timings(r: &Rendered) {
    if std::env::var_os("BAOCAO_TIMINGS").is_some() {
        for (stage, t) in &r.timings {
            eprintln!("{stage:>10}: {:.2} ms", t.as_secs_f64() * 1000.0);
        }
    }
}

/// What became of one job.
enum Outcome {
    Written {
        pages: usize,
        bytes: usize,
        warnings: Vec<Diagnostic>,
    },
    Checked {
        warnings: Vec<Diagnostic>,
    },
    Failed(Diagnostics, Vec<Diagnostic>),
}

fn run_job(
    renderer: &Renderer,
    p: &Planned,
    strict: bool,
    check_only: bool,
    create_dir: bool,
) -> Outcome {
    let r = match renderer.render(&p.job, Emit::Pdf) {
        Ok(r) => r,
        Err(d) => return Outcome::Failed(d, Vec::new()),
    };
    print_timings(&r);
    if strict && !r.warnings.is_empty() {
        let n = r.warnings.len();
        return Outcome::Failed(
            Diagnostic::error(format!(
                "có {n} cảnh báo và --strict được bật; không tạo tệp"
            ))
            .with_span(Span::file_only(&p.job.data_path.display().to_string()))
            .into(),
            r.warnings,
        );
    }
    if check_only {
        return Outcome::Checked {
            warnings: r.warnings,
        };
    }
    let bytes = r.pdf.unwrap_or_default();
    match write_atomic(&p.out, &bytes, create_dir) {
        Ok(()) => Outcome::Written {
            pages: r.pages,
            bytes: bytes.len(),
            warnings: r.warnings,
        },
        Err(d) => Outcome::Failed(d.into(), r.warnings),
    }
}

fn render(
    inputs: &[PathBuf],
    output: Option<PathBuf>,
    emit: EmitArg,
    strict: bool,
    jobs: Option<usize>,
    check_only: bool,
) -> ExitCode {
    let threads = jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    // Generous stacks: templates and markup are parsed recursively by libraries.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(64 << 20)
        .build();
    // While this thread reads the data files, a worker gets ahead. For a single
    // report, when there is a second thread, the worker compiles its template
    // and shapes its words while this thread parses the profiles and fonts
    // (below); for many reports, the worker parses the fonts and profiles.
    let single_pdf = matches!((inputs, emit), ([_], EmitArg::Pdf));
    if let Ok(p) = &pool {
        match inputs {
            [single] if single_pdf && threads > 1 => {
                let single = single.clone();
                p.spawn(move || baocao::render::prepare_ahead(&single));
            }
            _ if matches!(emit, EmitArg::Pdf) && !single_pdf => p.spawn(warm_profiles_and_fonts),
            _ => {}
        }
    }
    let (planned, load_failures) = plan(inputs, output.as_deref());
    if single_pdf {
        // The report needs its profile next, and the fonts soon after; the worker
        // is busy with its template, which the report waits for in any case.
        warm_profiles_and_fonts();
        // Then help the worker compile the template, which the report needs first.
        baocao::template::help_compile();
    }
    let total = planned.len() + load_failures.len();
    if let EmitArg::Markup = emit {
        // Markup is for looking at one template's output.
        for d in &load_failures {
            eprint!("{d}");
        }
        if planned.len() != 1 || !load_failures.is_empty() {
            if load_failures.is_empty() {
                eprint!(
                    "{}",
                    Diagnostic::error("--emit markup chỉ dùng cho một báo cáo")
                );
            }
            return ExitCode::FAILURE;
        }
        let Some(p) = planned.first() else {
            return ExitCode::FAILURE;
        };
        let renderer = Renderer::alone();
        let result = match &pool {
            Ok(pool) => pool.install(|| renderer.render(&p.job, Emit::Markup)),
            Err(_) => renderer.render(&p.job, Emit::Markup),
        };
        return match result {
            Ok(r) => {
                print_timings(&r);
                let _ = std::io::stdout().lock().write_all(r.markup.as_bytes());
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprint!("{d}");
                ExitCode::FAILURE
            }
        };
    }
    let single = total == 1;
    // A folder given with -o is created when needed.
    let create_dir = output.as_ref().is_some_and(|o| {
        o.is_dir() || !single || o.as_os_str().to_string_lossy().ends_with(['/', '\\'])
    });
    for d in &load_failures {
        eprint!("{d}");
    }
    let renderer = if planned.len() == 1 {
        Renderer::alone()
    } else {
        Renderer::new()
    };
    let bar = progress_bar(planned.len(), single);
    let report = |p: &Planned, o: &Outcome| {
        let mut text = String::new();
        match o {
            Outcome::Written {
                pages,
                bytes,
                warnings,
            } => {
                for w in warnings {
                    text.push_str(&w.to_string());
                }
                if bar.is_none() {
                    text.push_str(&format!(
                        "đã tạo {} ({pages} trang, {bytes} byte)\n",
                        p.out.display()
                    ));
                }
            }
            Outcome::Checked { warnings } => {
                for w in warnings {
                    text.push_str(&w.to_string());
                }
                let unit = p
                    .job
                    .unit
                    .as_ref()
                    .map(|u| format!(" (đơn vị \"{u}\")"))
                    .unwrap_or_default();
                text.push_str(&format!(
                    "{}{unit}: {}\n",
                    p.job.data_path.display(),
                    if warnings.is_empty() {
                        "không có lỗi"
                    } else {
                        "có cảnh báo"
                    }
                ));
            }
            Outcome::Failed(d, warnings) => {
                // In a file of many units, say which one failed.
                if let Some(unit) = &p.job.unit {
                    text.push_str(&format!(
                        "── đơn vị \"{unit}\" của {} (không tạo {}):\n",
                        p.job.data_path.display(),
                        p.out.display()
                    ));
                }
                for w in warnings {
                    text.push_str(&w.to_string());
                }
                text.push_str(&d.to_string());
            }
        }
        match &bar {
            Some(b) => {
                if !text.is_empty() {
                    b.suspend(|| eprint!("{text}"));
                }
                b.inc(1);
            }
            None => eprint!("{text}"),
        }
    };
    let outcomes: Vec<Outcome> = match pool {
        Ok(pool) => pool.install(|| {
            use rayon::prelude::*;
            planned
                .par_iter()
                .map(|p| {
                    let o = run_job(&renderer, p, strict, check_only, create_dir);
                    report(p, &o);
                    o
                })
                .collect()
        }),
        Err(_) => planned
            .iter()
            .map(|p| {
                let o = run_job(&renderer, p, strict, check_only, create_dir);
                report(p, &o);
                o
            })
            .collect(),
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let failed = load_failures.len()
        + outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(..)))
            .count();
    let warned: usize = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Written { warnings, .. }
            | Outcome::Checked { warnings }
            | Outcome::Failed(_, warnings) => warnings.len(),
        })
        .sum();
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Written { .. }))
        .count();
    if check_only {
        eprintln!("đã kiểm tra {total} báo cáo: {failed} lỗi, {warned} cảnh báo");
    } else if !single {
        eprintln!("đã tạo {written} tệp PDF, {failed} lỗi");
    }
    // Every file is written and every message printed: end here, without
    // freeing the caches, templates and documents one by one first.
    let _ = std::io::stderr().flush();
    let _ = std::io::stdout().flush();
    std::process::exit(i32::from(failed > 0))
}

/// Parse the built-in profiles and the bundled fonts now, before a report needs
/// them.
fn warm_profiles_and_fonts() {
    baocao::profile::warm();
    let _ = baocao::fonts::bundled();
}

/// A progress bar on a terminal (not in CI, not for a single report).
fn progress_bar(n: usize, single: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if single || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} báo cáo ({elapsed}, còn {eta})",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
