/**
 * Where a place is, without map tiles: a graticule over China's extent (73-135° E, 18-54° N) with a marker at the
 * coordinates, and the region's name in words beside it. Drawn inline, so it shows offline and loads nothing.
 */
import { useT } from '../i18n/i18n';

const WEST = 73;
const EAST = 135;
const SOUTH = 18;
const NORTH = 54;
const WIDTH = 240;
const HEIGHT = 150;

/** An SVG locator for a coordinate pair. */
export function LocationMarker({
  latitude,
  longitude,
  name,
}: {
  latitude: number;
  longitude: number;
  name: string;
}) {
  const t = useT();
  const inside = longitude >= WEST && longitude <= EAST && latitude >= SOUTH && latitude <= NORTH;
  const x = ((clamp(longitude, WEST, EAST) - WEST) / (EAST - WEST)) * WIDTH;
  const y = ((NORTH - clamp(latitude, SOUTH, NORTH)) / (NORTH - SOUTH)) * HEIGHT;
  const meridians = [80, 90, 100, 110, 120, 130];
  const parallels = [20, 30, 40, 50];
  const coordinates = `${Math.abs(latitude).toFixed(3)}°${latitude >= 0 ? 'N' : 'S'}, ${Math.abs(longitude).toFixed(3)}°${longitude >= 0 ? 'E' : 'W'}`;
  return (
    <figure className="locator">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('位置：{name}，{coords}', 'Location: {name}, {coords}', { name, coords: coordinates })}
      >
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} className="locator-sea" rx="6" />
        {meridians.map((lon) => {
          const mx = ((lon - WEST) / (EAST - WEST)) * WIDTH;
          return (
            <g key={`m${lon}`}>
              <line x1={mx} y1="0" x2={mx} y2={HEIGHT} className="locator-grid" />
              <text x={mx + 2} y={HEIGHT - 4} className="locator-tick">
                {lon}°E
              </text>
            </g>
          );
        })}
        {parallels.map((lat) => {
          const py = ((NORTH - lat) / (NORTH - SOUTH)) * HEIGHT;
          return (
            <g key={`p${lat}`}>
              <line x1="0" y1={py} x2={WIDTH} y2={py} className="locator-grid" />
              <text x="3" y={py - 2} className="locator-tick">
                {lat}°N
              </text>
            </g>
          );
        })}
        {inside ? (
          <g transform={`translate(${x} ${y})`}>
            <circle r="14" className="locator-halo" />
            <path
              d="M0 0 C -6 -8 -7 -12 -7 -15 A 7 7 0 1 1 7 -15 C 7 -12 6 -8 0 0 Z"
              className="locator-pin"
            />
            <circle cy="-15" r="2.6" fill="#fff" />
          </g>
        ) : null}
      </svg>
      <figcaption>
        <strong>{name}</strong>
        <span className="muted"> · {coordinates}</span>
      </figcaption>
    </figure>
  );
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
