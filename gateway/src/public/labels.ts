/**
 * Printable labels of a lot, drawn with bwip-js (Barcode Writer in Pure PostScript): a GS1 Digital Link QR code
 * of https://<resolver>/01/{gtin}/10/{lot} with the product and element string printed under it, and a GS1-128
 * barcode of (01) GTIN, (17) expiry when known, and (10) batch/lot, with its human-readable text.
 */
import bwipjs from 'bwip-js';
import { digitalLinkPath, elementString } from '@agritrace/chaincode/dist/shared/gs1';

/** What a label shows. */
export interface LabelLot {
  readonly gtin: string;
  readonly lot: string;
  readonly product: string;
  readonly expiryDate?: string | null;
}

/** The Digital Link URI a lot's QR code carries. */
export function labelUri(resolverBase: string, lot: LabelLot): string {
  return resolverBase.replace(/\/+$/, '') + digitalLinkPath({ gtin: lot.gtin, lot: lot.lot });
}

/** The GS1-128 content: (01), (17) when the expiry is known, (10), in GS1's order (fixed-length AIs first). */
export function gs1128Text(lot: LabelLot): string {
  return elementString({
    gtin: lot.gtin,
    lot: lot.lot,
    ...(lot.expiryDate ? { expiryDate: lot.expiryDate } : {}),
  });
}

/** The QR label as PNG: the Digital Link QR code alone, 8 px per module. */
export function qrLabelPng(resolverBase: string, lot: LabelLot): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'gs1dlqrcode',
    text: labelUri(resolverBase, lot),
    scale: 8,
    paddingwidth: 4,
    paddingheight: 4,
  });
}

/** The QR label as SVG: the QR code, then the product name and the element string, for printing. */
export function qrLabelSvg(resolverBase: string, lot: LabelLot): string {
  const qr = bwipjs.toSVG({
    bcid: 'gs1dlqrcode',
    text: labelUri(resolverBase, lot),
    scale: 4,
    // The quiet zone scanners need: four modules on every side.
    paddingwidth: 4,
    paddingheight: 4,
  });
  const box = viewBox(qr);
  const lines = [lot.product, gs1128Text(lot)];
  const width = Math.max(box.width, ...lines.map((line) => line.length * 7.5 + 16));
  const qrX = (width - box.width) / 2;
  const lineHeight = 18;
  const height = box.height + 12 + lines.length * lineHeight;
  const text = lines
    .map(
      (line, i) =>
        `<text x="${width / 2}" y="${box.height + 12 + (i + 1) * lineHeight - 4}" text-anchor="middle" ` +
        `font-family="Helvetica, Arial, sans-serif" font-size="${i === 0 ? 14 : 12}">${escapeXml(line)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<svg x="${qrX}" y="0" width="${box.width}" height="${box.height}" viewBox="0 0 ${box.width} ${box.height}">` +
    `${inner(qr)}</svg>${text}</svg>`
  );
}

/** The GS1-128 barcode as SVG, with its human-readable interpretation. */
export function barcodeSvg(lot: LabelLot): string {
  return bwipjs.toSVG({
    bcid: 'gs1-128',
    text: gs1128Text(lot),
    scale: 2,
    height: 15,
    includetext: true,
    textxalign: 'center',
  });
}

/** The GS1-128 barcode as PNG, with its human-readable interpretation. */
export function barcodePng(lot: LabelLot): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'gs1-128',
    text: gs1128Text(lot),
    scale: 3,
    height: 15,
    includetext: true,
    textxalign: 'center',
    paddingwidth: 10,
    paddingheight: 5,
    backgroundcolor: 'FFFFFF',
  });
}

function viewBox(svg: string): { width: number; height: number } {
  const match = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  return { width: Number(match?.[1] ?? 0), height: Number(match?.[2] ?? 0) };
}

/** The content of an <svg> element without the element itself. */
function inner(svg: string): string {
  return svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
