/**
 * The desktop "Capture screen" glue with electron replaced at the module boundary: Talkie's own window is never
 * offered or captured, a frame comes back as PNG at the display's real resolution, and problems read as words.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

interface FakeSource {
  id: string;
  name: string;
  display_id?: string;
  thumbnail: { toDataURL(): string; toPNG(): Buffer; isEmpty(): boolean };
}

type Options = { types: string[]; thumbnailSize: { width: number; height: number } };
// Shared with the hoisted mock below.
const state = vi.hoisted(() => ({ calls: [] as Options[], sources: [] as FakeSource[] }));
const calls = state.calls;

vi.mock('electron', () => ({
  desktopCapturer: {
    getSources: async (options: Options) => {
      state.calls.push(options);
      return state.sources.filter((s) => options.types.some((t) => s.id.startsWith(`${t}:`)));
    },
  },
  screen: {
    getPrimaryDisplay: () => ({ id: 2 }),
    getAllDisplays: () => [
      { size: { width: 1280, height: 800 }, scaleFactor: 2 },
      { size: { width: 1920, height: 1080 }, scaleFactor: 1 },
    ],
  },
}));

const { createScreenCapture } = await import('../../../src/main/electron/screen-capture');

const source = (id: string, name: string, png = Buffer.from(`png of ${name}`)): FakeSource => ({
  id,
  name,
  thumbnail: {
    toDataURL: () => `data:image/png;base64,${png.toString('base64')}`,
    toPNG: () => png,
    isEmpty: () => png.length === 0,
  },
});

const ownWindow = { isDestroyed: () => false, getMediaSourceId: () => 'window:42:0' };

beforeEach(() => {
  calls.length = 0;
  state.sources = [
    source('screen:0:0', 'Entire screen'),
    source('window:42:0', 'Talkie'),
    source('window:7:0', 'Editor'),
  ];
});

describe('desktop screen capture', () => {
  it('lists screens and windows with previews, never Talkie’s own window', async () => {
    const capture = createScreenCapture(() => ownWindow as never);
    const list = await capture.sources();
    expect(list.map((s) => [s.kind, s.name])).toEqual([
      ['screen', 'Entire screen'],
      ['window', 'Editor'],
    ]);
    expect(list[0]?.thumbnail).toMatch(/^data:image\/png;base64,/);
  });

  it('grabs one frame of the picked source as PNG at the largest display’s pixel size', async () => {
    const capture = createScreenCapture(() => ownWindow as never);
    const png = await capture.capture('window:7:0');
    expect(png.toString()).toBe('png of Editor');
    expect(calls.at(-1)).toEqual({ types: ['window'], thumbnailSize: { width: 2560, height: 1600 } });
  });

  it('refuses Talkie’s own window, a source that went away, and an empty frame, in words', async () => {
    const capture = createScreenCapture(() => ownWindow as never);
    await expect(capture.capture('window:42:0')).rejects.toThrow('Talkie does not capture its own window.');
    await expect(capture.capture('window:99:0')).rejects.toThrow('no longer there');
    state.sources.push(source('window:8:0', 'Locked', Buffer.alloc(0)));
    await expect(capture.capture('window:8:0')).rejects.toThrow(/came back empty/);
  });

  it('the Capture screen key takes the primary screen without a picker, at full size', async () => {
    const capture = createScreenCapture(() => ownWindow as never);
    state.sources = [
      { ...source('screen:1:0', 'Screen 1'), display_id: '1' },
      { ...source('screen:2:0', 'Screen 2'), display_id: '2' },
      source('window:7:0', 'Editor'),
    ];
    expect((await capture.capturePrimary()).toString()).toBe('png of Screen 2');
    expect(calls.at(-1)).toEqual({ types: ['screen'], thumbnailSize: { width: 2560, height: 1600 } });
    state.sources = [];
    await expect(capture.capturePrimary()).rejects.toThrow('No screen was found to capture.');
  });
});
