//! The console's layout, language switching and shortcuts, rendered with
//! `egui_kittest` on the real wgpu adapter (Mesa's lavapipe on CI).

use egui::{Key, Modifiers, Role};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, Node};
use watchfloor_app::console::area::Area;
use watchfloor_app::console::modes::Role as OperatorRole;
use watchfloor_app::console::{Console, ConsoleOptions, FrameCtx, theme};
use watchfloor_app::i18n::{Lang, Msg};

const SIZE: [f32; 2] = [1920.0, 1080.0];

fn fixed_time() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-23T14:03:27+05:00").expect("valid time")
}

fn harness(lang: Lang) -> Harness<'static, Console> {
    let mut console = Console::new(&ConsoleOptions {
        lang,
        demo: true,
        role: Some(OperatorRole::Dispatcher),
        ..ConsoleOptions::default()
    });
    console.freeze_clock(fixed_time());
    let mut harness = Harness::builder()
        .with_size(SIZE)
        .wgpu()
        .with_context_setup(theme::apply)
        .build_ui_state(
            |ui, console: &mut Console| {
                console.ui(ui, &FrameCtx::nothing());
            },
            console,
        );
    harness.run();
    harness
}

/// The region labelled `label`: the area's container, not its heading.
fn area<'a>(harness: &'a Harness<'_, Console>, label: &'a str) -> Node<'a> {
    harness.get_by_role_and_label(Role::Region, label)
}

fn area_names(lang: Lang) -> [(&'static str, Msg); 6] {
    [
        (Msg::AreaUnits.text(lang), Msg::AreaUnits),
        (Msg::AreaMap.text(lang), Msg::AreaMap),
        (Msg::AreaWall.text(lang), Msg::AreaWall),
        (Msg::AreaAlerts.text(lang), Msg::AreaAlerts),
        (Msg::AreaTimeline.text(lang), Msg::AreaTimeline),
        (Msg::AreaStatus.text(lang), Msg::AreaStatus),
    ]
}

/// Every area is present, named in the console's language, and placed where
/// the layout puts it: list | map | wall | alerts, timeline below, status
/// bar at the very bottom. The render is saved for a person to look at.
#[test]
fn layout_has_every_area_in_both_languages() {
    for lang in Lang::ALL {
        let mut harness = harness(lang);
        let [units, map, wall, alerts, timeline, status] =
            area_names(lang).map(|(name, _)| area(&harness, name).rect());

        assert!(
            units.center().x < map.center().x,
            "{lang}: list left of map"
        );
        assert!(
            map.center().x < wall.center().x,
            "{lang}: wall right of map"
        );
        assert!(
            wall.center().x < alerts.center().x,
            "{lang}: alerts on the right"
        );
        assert!(
            timeline.top() >= map.bottom() - 1.0,
            "{lang}: timeline below the map"
        );
        assert!(
            status.top() >= timeline.bottom() - 1.0,
            "{lang}: status bar at the bottom"
        );
        assert!(status.bottom() <= SIZE[1] + 0.5);
        // The map is the largest area.
        for other in [units, wall, alerts, timeline, status] {
            assert!(map.area() > other.area(), "{lang}: map is the centre-piece");
        }
        // The other language's names are nowhere.
        for (name, _) in area_names(lang.next()) {
            assert!(
                harness.query_all_by_label(name).next().is_none(),
                "{lang}: found {name:?} from the other language"
            );
        }
        // The empty map says what will appear there.
        assert!(harness.query_by_label(Msg::MapEmpty.text(lang)).is_some());

        let image = harness.render().expect("render on the wgpu adapter");
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        image
            .save(dir.join(format!("console-layout-{lang}.png")))
            .expect("save render");
        // Not a blank frame: the dark theme has many distinct colours in it.
        let distinct: std::collections::HashSet<_> = image.pixels().map(|p| p.0).collect();
        assert!(distinct.len() > 50, "{lang}: render looks blank");
    }
}

/// Every string in the catalogue, in both languages, has glyphs in the fonts
/// the console ships (so no tofu boxes on a machine without CJK fonts).
#[test]
fn bundled_fonts_cover_the_whole_catalogue() {
    let harness = harness(Lang::ZhCn);
    let font = egui::FontId::proportional(18.0);
    harness.ctx.fonts_mut(|fonts| {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                let text: String = msg
                    .text(lang)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(
                    fonts.has_glyphs(&font, &text),
                    "{msg:?} in {lang}: {text:?}"
                );
            }
        }
        for lang in Lang::ALL {
            assert!(fonts.has_glyphs(&font, lang.native_name()));
        }
    });
}

#[test]
fn shortcuts_focus_areas_and_toggle_the_list() {
    let mut harness = harness(Lang::En);
    assert_eq!(harness.state().focus(), Area::Map);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    assert_eq!(harness.state().focus(), Area::Alerts);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    assert_eq!(harness.state().focus(), Area::Wall);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::L);
    harness.run();
    assert!(!harness.state().list_open());
    assert!(
        harness
            .query_all_by_label("Units & cameras")
            .next()
            .is_none(),
        "list hidden"
    );

    // Focusing the list opens it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    harness.run();
    assert!(harness.state().list_open());
    assert_eq!(harness.state().focus(), Area::Units);
    assert!(
        harness
            .query_by_role_and_label(Role::Region, "Units & cameras")
            .is_some()
    );

    harness.key_press(Key::F1);
    harness.run();
    assert!(harness.state().help_open());
    assert!(
        harness
            .query_all_by_label("Keyboard shortcuts")
            .next()
            .is_some()
    );
}

#[test]
fn language_switches_at_run_time_by_shortcut_and_menu() {
    let mut harness = harness(Lang::En);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    harness.run();
    assert_eq!(harness.state().lang(), Lang::ZhCn);
    assert!(
        harness.state().list_open(),
        "Ctrl+Shift+L must not also toggle the list"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Region, "警情队列")
            .is_some()
    );

    harness.get_by_role_and_label(Role::Button, "语言").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::RadioButton, "English")
        .click();
    harness.run();
    assert_eq!(harness.state().lang(), Lang::En);
    assert!(
        harness
            .query_by_role_and_label(Role::Region, "Alert queue")
            .is_some()
    );
}

#[test]
fn clicking_an_area_focuses_it() {
    let mut harness = harness(Lang::En);
    let pos = area(&harness, "Timeline").rect().center();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run();
    }
    assert_eq!(harness.state().focus(), Area::Timeline);
}
