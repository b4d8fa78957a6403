//! What GPU adapter the console runs on, in words a benchmark table or the
//! status bar can show.

/// The adapter in use, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" on Vulkan, a CPU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterSummary {
    /// The adapter's name as the driver reports it.
    pub name: String,
    /// The graphics API wgpu drives it through.
    pub backend: String,
    /// Discrete GPU, integrated GPU, CPU (software), …
    pub device_type: String,
}

impl AdapterSummary {
    /// Summarises wgpu's adapter info.
    pub fn from_info(info: &wgpu::AdapterInfo) -> Self {
        Self {
            name: info.name.clone(),
            backend: format!("{:?}", info.backend),
            device_type: format!("{:?}", info.device_type),
        }
    }

    /// Whether this is a software rasteriser (lavapipe, llvmpipe, …).
    pub fn is_software(&self) -> bool {
        self.device_type == "Cpu"
    }
}

impl std::fmt::Display for AdapterSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, {})", self.name, self.backend, self.device_type)
    }
}
