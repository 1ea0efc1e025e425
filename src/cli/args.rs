//! The command line: commands and options, with Vietnamese help, and clap's
//! errors said in Vietnamese.
use baocao::diag::Diagnostic;
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Help layout with Vietnamese headings (clap's own are English).
const HELP: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `-h` in Vietnamese, for every command.
#[derive(clap::Args)]
pub struct HelpFlag {
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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    help: HelpFlag,
    /// In số phiên bản.
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Tạo tệp PDF (hoặc DOCX để sửa trong Word) từ một tệp dữ liệu báo cáo (.toml).
    #[command(
        help_template = HELP,
        override_usage = "baocao render <DỮ_LIỆU.toml>… [-o TỆP.pdf|TỆP.docx] [--dinh-dang pdf,docx] [--emit pdf|markup] [--strict] [-j N] [--so-trang-toi-da N] [--cho-phep-thu-muc THƯ_MỤC]… [--pdfa a|u|b|khong]",
        disable_help_flag = true
    )]
    Render {
        /// Tệp dữ liệu báo cáo (.toml, có khóa `mau` chỉ tới tệp mẫu), hoặc thư mục: mọi tệp .toml có `mau` trong đó. Cho nhiều tệp hay thư mục để dựng nhiều báo cáo cùng lúc.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Tệp đầu ra (.pdf, hoặc .docx để sửa trong Word); với nhiều báo cáo (hoặc [[don_vi]]) là thư mục đầu ra. Mặc định: cạnh tệp dữ liệu, cùng tên, đuôi .pdf.
        #[arg(
            short = 'o',
            long = "output",
            value_name = "TỆP",
            help_heading = "Tùy chọn"
        )]
        output: Option<PathBuf>,
        /// Định dạng tệp cần ghi, cách nhau bằng dấu phẩy: `pdf`, `docx` (Word) hoặc `pdf,docx` (cả hai, cùng tên). Mặc định: theo đuôi của -o, không có thì pdf.
        #[arg(
            long = "dinh-dang",
            value_enum,
            value_delimiter = ',',
            value_name = "ĐỊNH_DẠNG",
            hide_possible_values = true,
            help_heading = "Tùy chọn"
        )]
        formats: Vec<FormatArg>,
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
            value_parser = positive,
            allow_negative_numbers = true,
            help_heading = "Tùy chọn"
        )]
        jobs: Option<usize>,
        #[command(flatten)]
        limits: Limits,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Kiểm tra tệp dữ liệu và mẫu qua mọi bước (không ghi tệp PDF), đối chiếu với thể thức và báo mọi lỗi.
    #[command(
        name = "kiem-tra",
        help_template = HELP,
        override_usage = "baocao kiem-tra <DỮ_LIỆU.toml>… [--strict] [--so-trang-toi-da N] [--cho-phep-thu-muc THƯ_MỤC]… [--pdfa a|u|b|khong]",
        disable_help_flag = true
    )]
    Check {
        /// Tệp dữ liệu báo cáo (.toml) hoặc thư mục.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Coi mọi cảnh báo là lỗi.
        #[arg(long, help_heading = "Tùy chọn")]
        strict: bool,
        #[command(flatten)]
        limits: Limits,
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
    Profiles {
        #[command(subcommand)]
        action: Option<ProfileAction>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Xem trước báo cáo trong trình duyệt; tự dựng lại khi tệp dữ liệu, mẫu hay thể thức thay đổi.
    #[command(
        name = "xem",
        help_template = HELP,
        override_usage = "baocao xem <DỮ_LIỆU.toml> [--cong CỔNG]",
        disable_help_flag = true
    )]
    Preview {
        /// Tệp dữ liệu báo cáo (.toml). Với tệp có nhiều [[don_vi]], xem đơn vị đầu tiên.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số")]
        data: PathBuf,
        /// Cổng của trang xem trước trên máy này (127.0.0.1). Số từ 0 đến 65535; mặc định: 8765, hoặc một cổng trống nếu 8765 đang bận; 0: để máy tự chọn.
        #[arg(long = "cong", value_name = "CỔNG", help_heading = "Tùy chọn")]
        port: Option<u16>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Các mẫu báo cáo dựng sẵn: liệt kê, xem, chép ra để sửa.
    #[command(
        name = "mau",
        help_template = HELP,
        override_usage = "baocao mau [show <TÊN> | copy <TÊN> <THƯ_MỤC>]",
        subcommand_help_heading = "Lệnh",
        subcommand_value_name = "LỆNH",
        disable_help_flag = true
    )]
    Templates {
        #[command(subcommand)]
        action: Option<TemplateAction>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Bắt đầu một báo cáo từ mẫu dựng sẵn: tạo tệp số liệu mẫu (dựng được ngay) và lược đồ cho trình soạn thảo.
    #[command(
        name = "init",
        help_template = HELP,
        override_usage = "baocao init [THƯ_MỤC] --mau <TÊN> [--the-thuc nha-nuoc]",
        disable_help_flag = true
    )]
    Init {
        /// Thư mục sẽ chứa báo cáo (mới, hoặc trống); mặc định: thư mục hiện tại.
        #[arg(value_name = "THƯ_MỤC", help_heading = "Tham số", default_value = ".")]
        dir: PathBuf,
        /// Tên mẫu dựng sẵn (xem: baocao mau), ví dụ: tong-ket-tuyen-giao.
        #[arg(
            long = "mau",
            value_name = "TÊN",
            help_heading = "Tùy chọn",
            required = true
        )]
        template: String,
        /// Thể thức của báo cáo, nếu khác thể thức của mẫu: dang hoặc nha-nuoc.
        #[arg(long = "the-thuc", value_name = "THỂ_THỨC", help_heading = "Tùy chọn")]
        profile: Option<String>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// In lược đồ JSON (JSON Schema) của tệp số liệu, cho trình soạn thảo gợi ý và kiểm tra các mục.
    #[command(
        name = "schema",
        help_template = HELP,
        override_usage = "baocao schema",
        disable_help_flag = true
    )]
    Schema {
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Subcommand)]
pub enum TemplateAction {
    /// In phần giới thiệu và danh sách tệp của một mẫu dựng sẵn.
    #[command(help_template = HELP, override_usage = "baocao mau show <TÊN>", disable_help_flag = true)]
    Show {
        /// Tên mẫu, ví dụ: chi-thi-05.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        name: String,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Chép mọi tệp của một mẫu dựng sẵn ra một thư mục (mới hoặc trống) để sửa toàn bộ.
    #[command(help_template = HELP, override_usage = "baocao mau copy <TÊN> <THƯ_MỤC>", disable_help_flag = true)]
    Copy {
        /// Tên mẫu, ví dụ: chi-thi-05.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        name: String,
        /// Thư mục đích (mới hoặc trống).
        #[arg(value_name = "THƯ_MỤC", help_heading = "Tham số")]
        dir: PathBuf,
        #[command(flatten)]
        help: HelpFlag,
    },
}

/// Where templates may be and how long a report may be (`render`, `kiem-tra`).
#[derive(clap::Args)]
pub struct Limits {
    /// Số trang tối đa của một báo cáo (mặc định: 5.000); báo cáo dài hơn là lỗi, không tạo tệp.
    #[arg(
        long = "so-trang-toi-da",
        value_name = "N",
        value_parser = positive,
        allow_negative_numbers = true,
        help_heading = "Tùy chọn"
    )]
    pub max_pages: Option<usize>,
    /// Cho phép dùng tệp mẫu trong thư mục này (ngoài thư mục chứa tệp dữ liệu, nơi luôn được dùng). Cho nhiều lần để cho phép nhiều thư mục.
    #[arg(
        long = "cho-phep-thu-muc",
        value_name = "THƯ_MỤC",
        value_parser = existing_dir,
        action = ArgAction::Append,
        help_heading = "Tùy chọn"
    )]
    pub allowed_dirs: Vec<PathBuf>,
    /// Chuẩn của tệp PDF: `a` (mặc định: PDF/A-2a và PDF/UA-1, có cấu trúc cho trình đọc màn hình, dấu trang), `u` (PDF/A-2u), `b` (PDF/A-2b) — hai mức này nhỏ hơn, không có cấu trúc — hoặc `khong` (PDF thường). Tệp không đạt chuẩn đã chọn là lỗi, không tạo tệp.
    #[arg(
        long = "pdfa",
        value_enum,
        default_value_t = PdfaArg::A,
        value_name = "MỨC",
        hide_default_value = true,
        hide_possible_values = true,
        help_heading = "Tùy chọn"
    )]
    pub pdfa: PdfaArg,
}

/// `--pdfa`: the standard the PDF is made to.
#[derive(Clone, Copy, ValueEnum)]
pub enum PdfaArg {
    /// PDF/A-2a và PDF/UA-1.
    A,
    /// PDF/A-2u.
    U,
    /// PDF/A-2b.
    B,
    /// PDF thường.
    Khong,
}

impl PdfaArg {
    /// The library's level.
    pub fn level(self) -> baocao::pdf::Level {
        match self {
            PdfaArg::A => baocao::pdf::Level::A,
            PdfaArg::U => baocao::pdf::Level::U,
            PdfaArg::B => baocao::pdf::Level::B,
            PdfaArg::Khong => baocao::pdf::Level::Plain,
        }
    }
}

/// A whole number from 1 up (`-j`, `--so-trang-toi-da`).
fn positive(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("cần một số nguyên dương (1, 2, 3…)".to_string()),
    }
}

/// A folder that exists (`--cho-phep-thu-muc`).
fn existing_dir(s: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(s);
    match std::fs::metadata(&p) {
        Ok(m) if m.is_dir() => Ok(p),
        Ok(_) => Err("đây là một tệp, không phải thư mục".to_string()),
        Err(e) => Err(format!(
            "không dùng được thư mục này: {}",
            baocao::source::io_reason(&e)
        )),
    }
}

#[derive(Subcommand)]
pub enum ProfileAction {
    /// In một thể thức dưới dạng TOML, để chép làm thể thức riêng (dùng với `ke_thua`).
    #[command(help_template = HELP, override_usage = "baocao the-thuc show <TÊN>", disable_help_flag = true)]
    Show {
        /// Tên thể thức, ví dụ: dang-36, dang-05, nha-nuoc.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        name: String,
        #[command(flatten)]
        help: HelpFlag,
    },
}

/// A file format `render` writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum FormatArg {
    /// PDF, to print, sign and keep.
    Pdf,
    /// DOCX, to edit in Word.
    Docx,
}

impl FormatArg {
    /// The file name extension, without its dot.
    pub fn ext(self) -> &'static str {
        match self {
            FormatArg::Pdf => "pdf",
            FormatArg::Docx => "docx",
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum EmitArg {
    /// Tệp PDF.
    Pdf,
    /// Văn bản markup sau khi điền mẫu.
    Markup,
}

/// A command-line mistake, in Vietnamese (clap's own words are English).
pub fn usage_error(e: &clap::Error) -> Diagnostic {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let msg = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc: {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh (ví dụ: baocao render bao-cao.toml)".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\"", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("không có tùy chọn \"{arg}\"")
        }
        ErrorKind::UnknownArgument => format!("thừa tham số \"{arg}\""),
        ErrorKind::InvalidValue if value.is_empty() => format!("thiếu giá trị sau {arg}"),
        ErrorKind::InvalidValue => format!(
            "giá trị \"{value}\" không hợp lệ cho {arg} (dùng một trong: {})",
            ctx(ContextKind::ValidValue)
        ),
        // A value of the wrong kind (`-j abc`, `--cong 70000`): our own value
        // parsers say why in Vietnamese; a library's reason (English, ASCII) is
        // left out.
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .filter(|w| !w.is_ascii())
                .map(|w| format!(": {w}"))
                .unwrap_or_default();
            format!("giá trị \"{value}\" không hợp lệ cho {arg}{why}")
        }
        ErrorKind::ArgumentConflict => conflict(&arg, &ctx(ContextKind::PriorArg)),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("số giá trị cho {arg} không đúng")
        }
        ErrorKind::NoEquals => format!("{arg} cần giá trị viết liền sau dấu ="),
        ErrorKind::InvalidUtf8 => "dòng lệnh có ký tự không hợp lệ (không phải UTF-8)".to_string(),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    let mut d = Diagnostic::error(msg);
    let suggested = ctx(ContextKind::SuggestedArg);
    let suggested = if suggested.is_empty() {
        ctx(ContextKind::SuggestedSubcommand)
    } else {
        suggested
    };
    if !suggested.is_empty() {
        d = d.with_hint(format!("có phải ý bạn là \"{suggested}\"?"));
    }
    d.with_hint("xem cách dùng: baocao --help")
}

/// `--strict --strict`, or two options that exclude each other.
fn conflict(arg: &str, prior: &str) -> String {
    if prior.is_empty() || arg == prior {
        format!("tùy chọn {arg} được cho nhiều lần; chỉ cho một lần")
    } else {
        format!("không dùng {arg} cùng với {prior} được")
    }
}
