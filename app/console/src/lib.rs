//! The console window's contents, independent of how they reach the screen
//! and of what runs behind it: [`Console::ui`] draws one frame from a
//! [`FrameCtx`] (one read of the world and what the runtime prepared) and
//! returns the [`Command`]s the operator gave. It starts no thread and
//! touches no file or socket (its `clippy.toml` bans them): the program
//! applies the commands. eframe drives it in a real window; the headless
//! screenshot and the tests drive the very same function.
//!
//! [`Console`] is a thin shell over its panels: each panel is a struct with
//! its own state and a `ui` method taking the shared [`seat::Seat`] and the
//! frame, returning its commands; none reaches into another.

pub mod area;
pub mod command;
pub mod fonts;
pub mod frame;
pub mod i18n;
pub mod seat;
pub mod theme;

mod alerts;
mod audit;
pub mod checkpoint_summary;
pub mod checkpoint_view;
mod console;
mod export_dialog;
mod export_form;
mod help;
mod map_layers;
mod map_panel;
pub mod modes;
pub mod overview;
pub mod privacy;
pub mod problems;
pub mod replay;
mod replay_clock;
mod role_dialog;
pub mod search;
mod status_bar;
mod tile;
mod timeline;
mod top_bar;
mod units_list;
pub mod video;
pub mod wall;
mod wall_state;
mod widgets;

pub use command::{Command, ExportAsk};
pub use console::Console;
pub use frame::{CameraSet, ExportProgress, FeedSummary, FrameCtx, Timeline};
pub use seat::{ConsoleOptions, ListTab};
