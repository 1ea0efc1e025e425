//! The integration tests of baocao, in one test binary, by feature.
//!
//! Most tests run the `baocao` binary built for this test run and read its PDFs
//! back with readers we did not write: poppler-utils (`pdftotext`, `pdffonts`,
//! `pdfinfo`), qpdf and mupdf-tools (`mutool`). The tests install nothing: a
//! missing reader fails the test that needs it, naming the Debian package.
//!
//! - [`appendices`]: `\phu_luc` appendices (head, own page numbers, landscape margins)
//!   and the State summary's capital and rule;
//! - [`builtins`]: the built-in templates: `baocao mau`, `init`, `@name`, a partial replaced;
//! - [`cli`]: the command line (help, version, `--emit markup`, output paths);
//! - [`docx`]: the DOCX output, converted by LibreOffice and read by python-docx;
//! - [`errors`]: every bad input, as a table of cases with expected outputs;
//! - [`files`]: files and limits (FIFOs, big inputs, blow-ups, links, memory);
//! - [`glyphs`]: symbols from the fallback face; characters no face has, named;
//! - [`indicators`]: indicators cited in prose print the table's digits;
//! - [`inputs`]: unusual but valid input text (BOM, CRLF, NFD, no-break spaces);
//! - [`readback`]: the example's text, fonts, metadata and validity;
//! - [`layout`]: the Party example's layout, against `profiles/dang-36.toml`;
//! - [`linebreaks`]: display lines break between words; ties in body text; Nơi nhận hang;
//! - [`parts`]: part headings above level 1 ("Phần thứ nhất"), centred;
//! - [`overflow`]: long recipient lists, headers, titles and signatures lose nothing;
//! - [`profiles`]: the layout profiles, built-in and user-written;
//! - [`tables`]: tables, cell by cell;
//! - [`table_flow`]: tables across pages: lead-ins, header and group rows kept, "(tiếp)";
//! - [`table_setting`]: column widths, numbers, decimals, captions and unit lines;
//! - [`props`]: random markup loses nothing and invents nothing;
//! - [`preview`]: `baocao xem`, the live preview, in headless Chromium;
//! - [`values`]: data values print as typed, numbers with every digit;
//! - [`schema`]: the data files' JSON Schema, read by Taplo;
//! - [`sheets`]: figures read from XLSX, ODS and CSV sheets print as typed in TOML;
//! - [`architecture`]: the module graph of `src/` has no cycle;
//! - [`archival`]: PDF/A-2 and PDF/UA-1 by default (`--pdfa` for the others), structure
//!   tags counted against the markup, bookmarks, same bytes every run.

mod common;

mod appendices;
mod architecture;
mod archival;
mod builtins;
mod cli;
mod docx;
mod errors;
mod files;
mod glyphs;
mod indicators;
mod inputs;
mod layout;
mod linebreaks;
mod overflow;
mod parts;
mod preview;
mod profiles;
mod props;
mod readback;
mod schema;
mod sheets;
mod table_flow;
mod table_setting;
mod tables;
mod values;
