//! The one catalogue of UI strings, English and Simplified Chinese side by
//! side. A key without both translations does not compile.
//!
//! Strings never carry placeholders: the UI puts values beside them
//! (`label: value`), so word order never needs to change between languages.

use super::lang::Lang;

macro_rules! catalogue {
    ($($key:ident => $en:literal, $zh:literal;)+) => {
        /// A UI string's key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $(#[doc = $en] $key,)+
        }

        impl Msg {
            /// Every key, in catalogue order.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)+];

            /// The string in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::En) => $en, (Msg::$key, Lang::ZhCn) => $zh,)+
                }
            }
        }
    };
}

catalogue! {
    // The window and its menus.
    AppName => "Watchfloor", "Watchfloor 指挥台";
    AppSubtitle => "Command console", "指挥控制台";
    MenuView => "View", "视图";
    MenuLanguage => "Language", "语言";
    MenuHelp => "Help", "帮助";
    ShowUnitList => "Show units & cameras list", "显示警力与摄像机列表";
    Fullscreen => "Full screen", "全屏";
    KeyboardShortcuts => "Keyboard shortcuts", "键盘快捷键";
    Close => "Close", "关闭";
    Quit => "Quit", "退出";
    DemoBadge => "DEMO", "演示";
    DemoTooltip => "Running the embedded demo scenario", "正在运行内置演示场景";

    // The main areas (their names are also their accessibility labels).
    AreaMap => "Map", "地图";
    AreaWall => "Video wall", "视频墙";
    AreaAlerts => "Alert queue", "警情队列";
    AreaUnits => "Units & cameras", "警力与摄像机";
    AreaTimeline => "Timeline", "时间轴";
    AreaStatus => "Status bar", "状态栏";

    // What empty areas will show.
    MapEmpty => "No basemap loaded yet. The city map with checkpoints, control rings, patrol units, drones and alerts is drawn here.",
        "尚未加载底图。城市地图及检查站、管控圈、巡逻警力、无人机和警情将显示在此处。";
    WallEmpty => "No cameras connected. Live camera tiles appear here.",
        "尚未接入摄像机。实时视频画面将显示在此处。";
    WallTileEmpty => "Empty tile: drag a camera here", "空画面：将摄像机拖到此处";
    WallStarting => "Starting the simulated cameras…", "正在启动模拟摄像机…";
    WallNoVideo => "Waiting for video…", "等待视频…";
    FrameAge => "age", "延迟";
    DetectionAge => "detected", "检测";
    WallLayout => "Layout", "布局";
    Search => "Find", "查找";
    SearchHint => "Camera, unit, checkpoint or place", "摄像机、警力、检查站或地点";
    SearchNothing => "Nothing by that name.", "未找到该名称。";
    SearchPlace => "Place", "地点";
    ShortcutSearch => "Find a camera, unit, checkpoint or place", "查找摄像机、警力、检查站或地点";
    ResolveNote => "Note: what was found, what was done", "处置说明：现场情况及处置措施";
    ResolveConfirm => "Resolve now", "确认处置完毕";
    WallTour => "Tour", "轮巡";
    WallTourHint => "Cycle through all cameras, a page every 10 s", "每 10 秒轮换一页，巡视全部摄像机";
    DetectionStarting => "opening the model…", "正在加载模型…";

    // The checkpoint view (supervisors).
    CheckpointView => "Checkpoint", "检查站";
    CheckpointViewHint => "Show one checkpoint: its cameras large, lanes, queue, units on duty, alerts",
        "查看单个检查站：大画面摄像机、车道、排队、在岗警力、警情";
    CheckpointUnknown => "This checkpoint is not in the loaded site.", "已加载的站点中没有该检查站。";
    CheckpointBackToWall => "Back to the wall", "返回视频墙";
    CheckpointLanes => "Lanes", "车道";
    CheckpointNoVideo => "No live video from this checkpoint's cameras.", "该检查站的摄像机没有实时视频。";
    CheckpointCameraDark => "no live video", "无实时视频";
    CheckpointQueue => "Queue", "排队";
    CheckpointStanding => "vehicles standing", "辆车停驻";
    CheckpointStandingColumn => "Standing", "停驻";
    CheckpointZone => "Zone", "区域";
    CheckpointPeople => "People", "行人";
    CheckpointVehicles => "Vehicles", "车辆";
    CheckpointLine => "Line count", "过线计数";
    CheckpointForward => "Forward", "正向";
    CheckpointBackward => "Backward", "反向";
    CheckpointOnDuty => "On duty here", "在岗警力";
    CheckpointNobody => "No unit within 300 m.", "300 米内无警力。";
    CheckpointAlerts => "Its alerts", "本站警情";
    CheckpointNoAlerts => "No open alerts here.", "本站无未结警情。";
    QueueFlowing => "flowing", "通畅";
    QueueBuilding => "building", "排队增多";
    QueueLong => "long queue", "排长队";
    QueueUnknown => "no detection yet", "尚无检测结果";
    CheckpointAlarm => "Alarm", "报警";
    CheckpointOperating => "Operating", "运行中";
    CheckpointClosed => "Closed", "关闭";

    // Roles and operating modes.
    RoleQuestion => "Who is at this console?", "请选择本席位的角色";
    RoleDispatcher => "Dispatcher", "调度员";
    RoleDispatcherAbout => "Works the alert queue: acknowledges, dispatches the nearest units, resolves.",
        "处理警情队列：确认警情、派遣最近警力、办结警情。";
    RoleSupervisor => "Checkpoint supervisor", "检查站主管";
    RoleSupervisorAbout => "Watches one checkpoint: its cameras large, lanes, queue, units on duty; acknowledges and resolves its alerts.",
        "值守单个检查站：大画面摄像机、车道、排队、在岗警力；确认并办结本站警情。";
    RoleTrainer => "Trainer", "培训员";
    RoleTrainerAbout => "Reviews what happens and replays incidents; takes no operational action.",
        "回看与复盘警情；不进行任何实战操作。";
    RoleNotAllowed => "Not allowed for this role", "当前角色无此权限";
    MenuMode => "Mode", "模式";
    MenuRole => "Role", "角色";
    ModeNormal => "Normal", "常态";
    ModeEmergency => "Emergency", "应急";
    ModeMajorEvent => "Major-event security", "重大活动安保";
    ModeSpecialOperation => "Special operation", "专项行动";
    ShortcutMode => "Switch operating mode (F5 normal, F6 emergency, F7 major event, F8 special operation)",
        "切换运行模式（F5 常态、F6 应急、F7 重大活动、F8 专项行动）";
    WallOwnWindow => "Own window", "独立窗口";
    WallOwnWindowHint => "Move the wall to a window of its own (for a second monitor)",
        "将视频墙移至独立窗口（用于第二块显示器）";
    WallInOwnWindow => "The wall is in its own window.", "视频墙已在独立窗口中显示。";
    WallBack => "Back into the console", "移回主窗口";
    SoundOn => "Sound on", "声音开";
    SoundOff => "Sound off", "声音关";
    SoundHint => "A tone when a critical alert arrives", "严重警情到达时发出提示音";
    CamerasFailed => "Cameras unavailable", "摄像机不可用";
    AlertsEmpty => "No open alerts. Alerts from detection, one-click alarms and field reports queue here, most severe first.",
        "暂无未处理警情。来自智能检测、一键报警和现场上报的警情将按严重程度排列在此。";
    TabUnits => "Units", "警力";
    TabCameras => "Cameras", "摄像机";
    TabOverview => "Overview", "总览";
    OverviewEmpty => "The overview appears once the world is running.", "态势总览将在系统运行后显示。";
    OverviewStale => "stale reports", "过期上报";
    OverviewUnitsWord => "units", "警力";
    OverviewUnits => "Units by status", "警力状态";
    OverviewAlertsByState => "Open alerts by state", "未处理警情状态";
    OverviewCameras => "Cameras by state", "摄像机状态";
    OverviewAlerts => "open alerts", "未处理警情";
    OverviewAge => "by age", "按时长";
    OverviewDetection => "Detection", "智能检测";
    OverviewDetectionAlerts => "alerts in the last minute", "最近一分钟警情";
    OverviewTracked => "objects tracked now", "当前跟踪目标";
    OverviewRings => "Control rings", "管控圈";
    OverviewCells => "Busiest grid cells", "最繁忙网格";
    OverviewResponses => "Running dispatches (targets 1 · 3 · 5 min)", "进行中的派警（目标 1 · 3 · 5 分钟）";
    UnitsEmpty => "No units reporting. Patrol units and drones appear here when their feeds (CoT, MAVLink) connect.",
        "暂无警力上报。巡逻警力和无人机的数据链路（CoT、MAVLink）接通后将显示在此。";
    SectionUnits => "Patrol units", "巡逻警力";
    SectionDrones => "Drones", "无人机";
    CountAvailable => "available", "空闲";
    CountStale => "stale", "过期";
    UnitStale => "stale: no report", "过期：无上报";
    DroneLinkLost => "link lost", "链路中断";
    DroneBattery => "battery", "电量";
    DroneAltitude => "altitude", "高度";
    InsideRings => "inside", "位于";
    Assignment => "assigned to", "任务";
    LastReport => "last report", "最近上报";
    SecondsAgo => "s ago", "秒前";
    Dispatch => "Dispatch", "派警";
    DispatchNearest => "Nearest available units by travel time", "按到达时间排序的最近空闲警力";
    DispatchNone => "No available unit", "无空闲警力";
    ByRoad => "by road", "按道路";
    StraightLine => "straight line", "直线估算";
    ResponseTimer => "response", "响应";
    Acknowledge => "Acknowledge", "确认";
    Resolve => "Resolve", "处置完毕";
    OneClickAlarm => "One-click alarm", "一键报警";
    LayerUnits => "Units", "警力";
    LayerDrones => "Drones", "无人机";
    LayerAlerts => "Alerts", "警情";
    LayerSites => "Checkpoints", "检查站";
    LayerCameras => "Cameras", "摄像机";
    LayerRings => "Rings", "管控圈";
    LayerGrid => "Grid", "网格";
    LayerReach => "1-3-5 min", "1-3-5分钟圈";
    ReachHint => "Select an alert to see where units can reach it in 1, 3 and 5 minutes", "选择警情以显示 1、3、5 分钟可达范围";
    ShowOnMap => "Show on map", "在地图上显示";
    RingCrossing => "Ring crossing", "越圈";
    DrawRing => "Emergency ring", "紧急管控圈";
    DrawRingHint => "Draw a 1 km emergency control ring around this alert", "在此警情周围划定 1 公里紧急管控圈";
    CamerasEmpty => "No cameras configured. Cameras from the site configuration appear here.",
        "尚未配置摄像机。站点配置中的摄像机将显示在此。";
    TimelineLive => "LIVE", "实时";
    TimelineEmpty => "Nothing recorded yet. Recorded incidents can be scrubbed and replayed here.",
        "暂无记录。可在此拖动时间轴回放已记录的事件。";
    TimelineReplay => "REPLAY", "回放";
    TimelineGoLive => "Go live", "返回实时";
    TimelineGoLiveHint => "Leave replay: show the live world and cameras", "退出回放：显示实时态势与画面";
    TimelinePlay => "Play", "播放";
    TimelinePause => "Pause", "暂停";
    TimelineStepBack => "One frame back", "后退一帧";
    TimelineStepOn => "One frame on", "前进一帧";
    TimelinePrevEvent => "Previous event or bookmark", "上一事件或书签";
    TimelineNextEvent => "Next event or bookmark", "下一事件或书签";
    TimelineSpeed => "Speed", "速度";
    TimelineBookmark => "Bookmark", "书签";
    TimelineNoteHint => "Note at this instant…", "在此时刻添加备注…";
    TimelineAddNote => "Add note", "添加备注";
    TimelineAddBookmark => "Bookmark this instant", "为此时刻添加书签";
    TimelineScrubHint => "Click or drag to replay that moment; scroll to zoom", "点击或拖动以回放该时刻；滚动以缩放";
    TimelinePackage => "Incident package", "事件包";
    TimelineExport => "Export…", "导出…";
    TimelineExportHint => "Export an incident package (video, tracks, events, manifest)", "导出事件包（视频、轨迹、事件、清单）";
    ExportTitle => "Export incident package", "导出事件包";
    ExportFrom => "From", "开始";
    ExportTo => "To", "结束";
    ExportFolder => "Folder", "文件夹";
    ExportRedactedNote => "People are blurred and privacy masks filled in exported video.", "导出视频中的人员将被模糊处理，隐私遮挡区域将被填充。";
    ExportLift => "Lift redaction (people unblurred)", "取消模糊处理（人员不模糊）";
    ExportLiftSupervisorOnly => "Only a supervisor may lift redaction; it is audited", "仅主管可取消模糊处理，且会记入审计";
    ExportReason => "Why redaction is lifted (required, audited)", "取消模糊处理的原因（必填，记入审计）";
    ExportReasonNeeded => "Give a reason for lifting redaction", "请填写取消模糊处理的原因";
    ExportNoJournal => "Nothing to export: the journal is not open", "无法导出：日志未打开";
    ExportRun => "Export", "导出";
    ExportRunning => "Exporting…", "正在导出…";
    StatusPackage => "none — an incident package, offline", "无 — 离线事件包";
    ReplayNoActions => "Replaying the past: go live to act", "正在回放：返回实时后才能操作";
    ReplayNoRecording => "no recording at this time", "此时无录像";
    ReplayRecorded => "recorded", "录制于";

    // Legends.
    Severity => "Severity", "严重程度";
    SeverityCritical => "Critical", "紧急";
    SeverityHigh => "High", "高";
    SeverityMedium => "Medium", "中";
    SeverityLow => "Low", "低";
    UnitStatus => "Unit status", "警力状态";
    UnitAvailable => "Available", "空闲";
    UnitEnRoute => "En route", "在途";
    UnitOnScene => "On scene", "到场";
    UnitOffDuty => "Off duty", "休班";
    AlertNew => "New", "新警情";
    AlertAcknowledged => "Acknowledged", "已确认";
    AlertDispatched => "Dispatched", "已派警";
    AlertOnScene => "On scene", "已到场";
    AlertResolved => "Resolved", "已处置";
    KindCar => "Car", "警车";
    KindMotorbike => "Motorbike", "摩托";
    KindFoot => "Foot", "步巡";
    KindRobot => "Robot", "机器人";
    FeedLive => "Live", "在线";
    FeedConnecting => "Connecting", "连接中";
    FeedStalled => "Stalled", "停滞";
    FeedOffline => "Offline", "离线";

    // The status bar.
    StatusCameras => "Cameras", "摄像机";
    StatusFeeds => "Feeds", "数据链路";
    StatusNone => "none", "无";
    StatusVideo => "Video", "视频";
    StatusDetector => "Detector", "检测器";
    StatusGpu => "GPU", "图形";
    StatusChecking => "checking…", "检测中…";
    StatusUnavailable => "unavailable", "不可用";
    StatusMissing => "missing", "缺少";
    StatusJournal => "Journal", "事件记录";
    StatusRecording => "recording", "记录中";
    StatusNotRecording => "not recording", "未记录";
    StatusMalformed => "malformed", "格式错误";
    StatusProblems => "problems", "个问题";
    StatusProblem => "problem", "个问题";
    StatusPrivacy => "Privacy", "隐私";
    StatusBlanked => "blanked:", "已遮蔽：";
    PrivacyMasksUnreadable => "privacy masks unreadable", "隐私遮罩无法读取";
    PrivacyAllBlanked => "every camera blanked", "所有摄像机画面已遮蔽";
    AuditNotWriting => "AUDIT TRAIL NOT WRITING: operator actions are not reaching the audit log", "审计日志无法写入：操作员操作未写入审计日志";
    AuditOutsideChain => "Audit trail: some operator actions are outside the chain", "审计日志：部分操作员操作不在哈希链中";
    AuditKeptIn => "actions kept in a fallback file", "条操作保存在备用文件中";
    AuditInMemory => "actions held in memory only", "条操作仅保存在内存中";
    AuditLost => "actions lost", "条操作丢失";
    ProblemsTitle => "Problems", "问题列表";
    ProblemsOpen => "List every problem, with its file, line or source", "列出所有问题及其文件、行号或来源";
    ProblemsNone => "No problems.", "没有问题。";
    ProblemsPrivacy => "Privacy masks", "隐私遮罩";
    ProblemsSite => "Site configuration", "站点配置";
    ProblemsDetection => "Detection rules", "检测规则";
    ProblemsCameras => "Camera configuration", "摄像机配置";
    ProblemsFeeds => "Feeds", "数据源";
    ProblemsAudit => "Audit trail", "审计日志";
    ProblemsRecording => "Recording", "录像";
    ProblemsJournal => "Journal", "事件日志";
    RecordingStopped => "REC stopped", "录像已停止";
    ClockBehind => "clock {} behind", "时钟慢 {}";
    ClockAhead => "clock {} ahead", "时钟快 {}";
    UnitSeconds => "s", "秒";
    UnitMinutes => "min", "分钟";
    UnitHours => "h", "小时";

    // Keyboard shortcuts, as listed in the help window.
    ShortcutFocusMap => "Focus the map", "聚焦地图";
    ShortcutFocusWall => "Focus the video wall", "聚焦视频墙";
    ShortcutFocusAlerts => "Focus the alert queue", "聚焦警情队列";
    ShortcutFocusUnits => "Focus units & cameras", "聚焦警力与摄像机";
    ShortcutFocusTimeline => "Focus the timeline", "聚焦时间轴";
    ShortcutToggleList => "Show or hide the units & cameras list", "显示或隐藏警力与摄像机列表";
    ShortcutLanguage => "Switch language", "切换语言";
    ShortcutFullscreen => "Full screen on or off", "开启或关闭全屏";
    ShortcutHelp => "Show this help", "显示此帮助";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_string_is_present_in_both_languages() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(
                    !msg.text(lang).trim().is_empty(),
                    "{msg:?} is empty in {lang}"
                );
            }
        }
    }

    /// A Chinese entry that is a copy of the English one was forgotten.
    #[test]
    fn chinese_strings_are_translated() {
        for msg in Msg::ALL {
            let zh = msg.text(Lang::ZhCn);
            assert!(has_cjk(zh), "{msg:?} has no Chinese text: {zh:?}");
            assert!(
                !has_cjk(msg.text(Lang::En)),
                "{msg:?} has Chinese in English"
            );
        }
    }
}
