//! A plain RGBA image read back from the GPU, and writing it as PNG.

use std::io::BufWriter;
use std::path::Path;

use crate::RenderError;

/// Tightly packed 8-bit RGBA pixels, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub pixels: Vec<u8>,
}

impl RgbaImage {
    /// The pixel at (x, y) as `[r, g, b, a]`, or `None` outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = ((y * self.width + x) * 4) as usize;
        self.pixels.get(i..i + 4)?.try_into().ok()
    }

    /// Writes the image as an 8-bit RGBA PNG.
    pub fn write_png(&self, path: &Path) -> Result<(), RenderError> {
        let write_error = |reason: String| RenderError::WriteImage {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::File::create(path).map_err(|e| write_error(e.to_string()))?;
        let mut encoder = png::Encoder::new(BufWriter::new(file), self.width, self.height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| write_error(e.to_string()))?;
        writer
            .write_image_data(&self.pixels)
            .map_err(|e| write_error(e.to_string()))?;
        writer.finish().map_err(|e| write_error(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trip_keeps_pixels() {
        let image = RgbaImage {
            width: 3,
            height: 2,
            pixels: (0..24).map(|i| (i * 10) as u8).collect(),
        };
        let path = std::env::temp_dir().join(format!("wf-png-{}.png", std::process::id()));
        image.write_png(&path).expect("write");
        let decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&path).expect("open"),
        ));
        let mut reader = decoder.read_info().expect("header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buf[..info.buffer_size()], &image.pixels[..]);
        assert_eq!(image.pixel(2, 1), Some([200, 210, 220, 230]));
        assert_eq!(image.pixel(3, 0), None);
        std::fs::remove_file(path).expect("cleanup");
    }

    #[test]
    fn writing_into_a_missing_folder_names_the_file() {
        let image = RgbaImage {
            width: 1,
            height: 1,
            pixels: vec![0; 4],
        };
        let err = image
            .write_png(Path::new("/nonexistent-dir/shot.png"))
            .expect_err("no such folder");
        assert!(
            err.to_string().contains("/nonexistent-dir/shot.png"),
            "{err}"
        );
    }
}
