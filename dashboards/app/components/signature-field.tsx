import { useEffect, useRef } from 'preact/hooks';
import SignaturePad from 'signature_pad';
import { useApp } from '../context.ts';

/** Any request body over 16 kB is refused by the API: the signature is sent at most this wide. */
const SENT_WIDTH = 300;

/** The pad's drawing as a PNG data URL of at most SENT_WIDTH px (a phone's 3x canvas is too large to send). */
function smallPng(source: HTMLCanvasElement): string {
  const scale = Math.min(1, SENT_WIDTH / source.width);
  const small = document.createElement('canvas');
  small.width = Math.max(1, Math.round(source.width * scale));
  small.height = Math.max(1, Math.round(source.height * scale));
  const g = small.getContext('2d');
  if (g) {
    g.fillStyle = '#fff';
    g.fillRect(0, 0, small.width, small.height);
    g.drawImage(source, 0, 0, small.width, small.height);
  }
  return small.toDataURL('image/png');
}

/**
 * The customer's signature drawn on the phone (signature_pad): `onChange` gets a PNG data URL after
 * each stroke, or null when cleared.
 */
export function SignatureField({ onChange }: { onChange: (png: string | null) => void }) {
  const { t } = useApp();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    // The canvas's pixels follow its CSS size and the screen's density, or strokes land off the finger.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')?.scale(ratio, ratio);
    const signature = new SignaturePad(element, {
      backgroundColor: 'rgb(255,255,255)',
      penColor: 'rgb(20,20,60)',
    });
    signature.addEventListener('endStroke', () => onChange(signature.isEmpty() ? null : smallPng(element)));
    pad.current = signature;
    return () => signature.off();
  }, []);
  return (
    <fieldset class="signature-field">
      <legend>{t('record.signature')}</legend>
      <canvas
        ref={canvas}
        class="signature-canvas"
        aria-label={t('record.signature')}
        data-testid="signature"
      />
      <button
        type="button"
        class="secondary"
        onClick={() => {
          pad.current?.clear();
          onChange(null);
        }}
      >
        {t('record.clear')}
      </button>
    </fieldset>
  );
}
