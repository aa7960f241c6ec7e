// Images for the ISNet benchmark, made here without downloads: photos that Debian's python3-skimage package ships
// (its .deb unpacked, not installed) and scenes ImageMagick draws; and imgly's preprocessing of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

export const SIZE = 1024;

export interface BenchImage {
  name: string;
  file: string;
  source: string;
}

const SKIMAGE_DATA = 'usr/lib/python3/dist-packages/skimage/data';
/** Photos with one distinct foreground object: the test images. */
const TEST_PHOTOS = ['chelsea.png', 'coffee.png', 'astronaut.png', 'motorcycle_left.png'];
/**
 * Other photos of the same package, for calibration only: every photograph it ships that is not a test image, a
 * near-copy of one (motorcycle_right is the same scene as motorcycle_left) or a drawing/chart/text page. Several are
 * far from the test images on purpose (grey, a texture, a micrograph, the night sky): calibration data in the field is
 * not hand-picked either, and two of these (camera, gravel) drive many decoder activations 50-100x past what the test
 * photos reach.
 */
const CALIBRATION_PHOTOS = ['rocket.jpg', 'camera.png', 'horse.png', 'coins.png', 'hubble_deep_field.jpg', 'ihc.png', 'retina.jpg', 'gravel.png', 'moon.png'];

/** Unpacks python3-skimage's .deb (fetched with apt-get download: no dependencies, nothing installed) into `dir`. */
function skimagePhotos(dir: string): string | undefined {
  const data = path.join(dir, 'skimage', SKIMAGE_DATA);
  if (existsSync(path.join(data, TEST_PHOTOS[0]!))) return data;
  const debs = path.join(dir, 'debs');
  execFileSync('mkdir', ['-p', debs]);
  const got = spawnSync('apt-get', ['download', 'python3-skimage'], { cwd: debs, stdio: 'ignore' });
  const deb = got.status === 0 ? execFileSync('ls', [debs]).toString().split('\n').find((f) => f.startsWith('python3-skimage_')) : undefined;
  if (!deb) return undefined;
  execFileSync('dpkg-deb', ['-x', path.join(debs, deb), path.join(dir, 'skimage')]);
  return existsSync(data) ? data : undefined;
}

/** ImageMagick scenes: one object (shape, cartoon, text) in front of a textured background. Seeded: reproducible. */
const SCENES: Array<[string, string[]]> = [
  ['ball-on-plasma', ['-seed', '11', '-size', `${SIZE}x${SIZE}`, 'plasma:tan-olive', '-blur', '0x6', '-fill', 'radial-gradient:', '-fill', '#c02828', '-draw', 'circle 520,540 520,260']],
  ['wizard-on-sky', ['-size', `${SIZE}x${SIZE}`, 'gradient:skyblue-white', '(', 'wizard:', '-resize', '760x760', ')', '-gravity', 'center', '-composite']],
  ['box-on-wood', ['-seed', '5', '-size', `${SIZE}x${SIZE}`, 'plasma:sienna-wheat', '-blur', '0x3', '-fill', '#2050b0', '-stroke', 'black', '-strokewidth', '6', '-draw', 'roundrectangle 260,300 780,820 40,40']],
  ['star-on-noise', ['-seed', '23', '-size', `${SIZE}x${SIZE}`, 'plasma:grey60-grey80', '-fill', 'gold', '-stroke', 'darkorange', '-strokewidth', '8', '-draw', 'polygon 512,130 610,410 900,410 665,580 750,870 512,700 274,870 359,580 124,410 414,410']],
  ['logo-on-gradient', ['-size', `${SIZE}x${SIZE}`, 'gradient:lavender-slategray', '(', 'logo:', '-trim', '-resize', '820x820', ')', '-gravity', 'center', '-composite']],
  ['figure-on-grass', ['-seed', '3', '-size', `${SIZE}x${SIZE}`, 'plasma:green-yellowgreen', '-blur', '0x4', '-fill', '#303030', '-draw', 'ellipse 512,330 110,130 0,360', '-draw', 'roundrectangle 380,460 644,900 60,60']],
];

async function drawScenes(dir: string, count: number): Promise<BenchImage[]> {
  await fs.mkdir(dir, { recursive: true });
  return SCENES.slice(0, count).map(([name, args]) => {
    const file = path.join(dir, `${name}.png`);
    if (!existsSync(file)) execFileSync('convert', [...args, file]);
    return { name, file, source: 'ImageMagick drawing' };
  });
}

export interface BenchImages {
  test: BenchImage[];
  calibration: BenchImage[];
  notes: string[];
}

/** Test images (skimage photos, else drawn scenes) and calibration images that are never test images. */
export async function benchImages(dir: string, counts: { test: number; calibration: number }): Promise<BenchImages> {
  const notes: string[] = [];
  const photos = skimagePhotos(dir);
  const scenes = await drawScenes(path.join(dir, 'scenes'), SCENES.length);
  if (!photos) {
    notes.push('python3-skimage could not be fetched with apt-get download: test and calibration images are ImageMagick drawings only');
    const half = Math.ceil(scenes.length / 2);
    return { test: scenes.slice(0, Math.min(half, counts.test)), calibration: scenes.slice(half, half + counts.calibration), notes };
  }
  notes.push('test images: photos shipped in Debian python3-skimage 0.19 (.deb unpacked with dpkg-deb, not installed); calibration: its other photos, then ImageMagick drawings when more are asked for');
  const photo = (f: string): BenchImage => ({ name: f.replace(/\.\w+$/, ''), file: path.join(photos, f), source: 'Debian python3-skimage' });
  const calibration = [...CALIBRATION_PHOTOS.map(photo), ...scenes];
  return { test: TEST_PHOTOS.slice(0, counts.test).map(photo), calibration: calibration.slice(0, counts.calibration), notes };
}

/** imgly's preprocessing: RGB, bilinear resize to 1024×1024, (v − 128) / 256, NCHW [3, 1024, 1024]. */
export function preprocess(file: string): Float32Array {
  const rgb = execFileSync('convert', [file, '-colorspace', 'sRGB', '-alpha', 'off', '-filter', 'Triangle', '-resize', `${SIZE}x${SIZE}!`, '-depth', '8', 'rgb:-'], { maxBuffer: 64 << 20 });
  const plane = SIZE * SIZE;
  if (rgb.length !== 3 * plane) throw new Error(`${file}: ImageMagick gave ${rgb.length} bytes, expected ${3 * plane}`);
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[i * 3 + c]! - 128) / 256;
  return out;
}
