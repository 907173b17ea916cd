// The static part of the Hetzner world: locations, datacenters, server types and system images,
// with values shaped like the real catalogue (names, cities, coordinates, prices as decimal strings).

export interface Location {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

export const LOCATIONS: readonly Location[] = [
  { id: 1, name: 'fsn1', description: 'Falkenstein DC Park 1', country: 'DE', city: 'Falkenstein', latitude: 50.47612, longitude: 12.370071, network_zone: 'eu-central' },
  { id: 2, name: 'nbg1', description: 'Nuremberg DC Park 1', country: 'DE', city: 'Nuremberg', latitude: 49.452102, longitude: 11.076665, network_zone: 'eu-central' },
  { id: 3, name: 'hel1', description: 'Helsinki DC Park 1', country: 'FI', city: 'Helsinki', latitude: 60.169855, longitude: 24.938379, network_zone: 'eu-central' },
  { id: 4, name: 'ash', description: 'Ashburn, VA', country: 'US', city: 'Ashburn, VA', latitude: 39.045821, longitude: -77.487073, network_zone: 'us-east' },
  { id: 5, name: 'hil', description: 'Hillsboro, OR', country: 'US', city: 'Hillsboro, OR', latitude: 45.54222, longitude: -122.95194, network_zone: 'us-west' },
  { id: 6, name: 'sin', description: 'Singapore', country: 'SG', city: 'Singapore', latitude: 1.283333, longitude: 103.833333, network_zone: 'ap-southeast' },
];

/** Deprecated upstream but still required by the spec and read by CLI 1.30 (`server list`, `describe`). */
export const DATACENTERS: readonly { id: number; name: string; description: string; location: string }[] = [
  { id: 4, name: 'fsn1-dc14', description: 'Falkenstein 1 virtual DC 14', location: 'fsn1' },
  { id: 2, name: 'nbg1-dc3', description: 'Nuremberg 1 virtual DC 3', location: 'nbg1' },
  { id: 3, name: 'hel1-dc2', description: 'Helsinki 1 virtual DC 2', location: 'hel1' },
  { id: 5, name: 'ash-dc1', description: 'Ashburn virtual DC 1', location: 'ash' },
  { id: 6, name: 'hil-dc1', description: 'Hillsboro virtual DC 1', location: 'hil' },
  { id: 7, name: 'sin-dc1', description: 'Singapore virtual DC 1', location: 'sin' },
];

export interface ServerTypeSpec {
  id: number;
  name: string;
  cores: number;
  memory: number;
  disk: number;
  cpu_type: 'shared' | 'dedicated';
  architecture: 'x86' | 'arm';
  category: string;
  /** Net monthly price in EUR in the EU; other zones are dearer, as they are upstream. */
  monthly: number;
  locations: readonly string[];
  /** Locations where the type is listed but out of stock (`available: false`). */
  outOfStock?: readonly string[];
}

const EU = ['fsn1', 'nbg1', 'hel1'] as const;
const ALL = ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin'] as const;

export const SERVER_TYPES: readonly ServerTypeSpec[] = [
  { id: 22, name: 'cpx11', cores: 2, memory: 2, disk: 40, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 4.35, locations: ALL },
  { id: 23, name: 'cpx21', cores: 3, memory: 4, disk: 80, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 7.55, locations: ALL },
  { id: 24, name: 'cpx31', cores: 4, memory: 8, disk: 160, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 13.6, locations: ALL },
  { id: 45, name: 'cax11', cores: 2, memory: 4, disk: 40, cpu_type: 'shared', architecture: 'arm', category: 'Shared vCPU', monthly: 3.79, locations: EU },
  { id: 93, name: 'cax21', cores: 4, memory: 8, disk: 80, cpu_type: 'shared', architecture: 'arm', category: 'Shared vCPU', monthly: 6.49, locations: EU },
  { id: 96, name: 'ccx13', cores: 2, memory: 8, disk: 80, cpu_type: 'dedicated', architecture: 'x86', category: 'Dedicated vCPU', monthly: 12.49, locations: ALL, outOfStock: ['sin'] },
  { id: 97, name: 'ccx23', cores: 4, memory: 16, disk: 160, cpu_type: 'dedicated', architecture: 'x86', category: 'Dedicated vCPU', monthly: 24.49, locations: ALL },
  { id: 104, name: 'cx22', cores: 2, memory: 4, disk: 40, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 3.79, locations: EU },
  { id: 105, name: 'cx32', cores: 4, memory: 8, disk: 80, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 6.8, locations: EU },
  { id: 106, name: 'cx42', cores: 8, memory: 16, disk: 160, cpu_type: 'shared', architecture: 'x86', category: 'Shared vCPU', monthly: 16.4, locations: EU },
];

export interface ImageSpec {
  id: number;
  name: string;
  description: string;
  os_flavor: string;
  os_version: string;
  architecture: 'x86' | 'arm';
  created: string;
  codeName: string;
}

// One per architecture per name, as upstream: names are not unique, `architecture` disambiguates.
export const IMAGES: readonly ImageSpec[] = [
  { id: 67794396, name: 'ubuntu-22.04', description: 'Ubuntu 22.04', os_flavor: 'ubuntu', os_version: '22.04', architecture: 'x86', created: '2022-04-21T13:32:38Z', codeName: 'jammy' },
  { id: 103908070, name: 'ubuntu-22.04', description: 'Ubuntu 22.04', os_flavor: 'ubuntu', os_version: '22.04', architecture: 'arm', created: '2023-03-09T10:12:41Z', codeName: 'jammy' },
  { id: 114690387, name: 'debian-12', description: 'Debian 12', os_flavor: 'debian', os_version: '12', architecture: 'x86', created: '2023-06-13T06:00:02Z', codeName: 'bookworm' },
  { id: 114690389, name: 'debian-12', description: 'Debian 12', os_flavor: 'debian', os_version: '12', architecture: 'arm', created: '2023-06-13T06:00:02Z', codeName: 'bookworm' },
  { id: 161547269, name: 'ubuntu-24.04', description: 'Ubuntu 24.04', os_flavor: 'ubuntu', os_version: '24.04', architecture: 'x86', created: '2024-04-25T14:15:27Z', codeName: 'noble' },
  { id: 161547270, name: 'ubuntu-24.04', description: 'Ubuntu 24.04', os_flavor: 'ubuntu', os_version: '24.04', architecture: 'arm', created: '2024-04-25T14:15:28Z', codeName: 'noble' },
];

export const findLocation = (idOrName: string | number): Location | undefined =>
  LOCATIONS.find((l) => l.name === idOrName || l.id === Number(idOrName));
export const findServerType = (idOrName: string | number): ServerTypeSpec | undefined =>
  SERVER_TYPES.find((t) => t.name === idOrName || t.id === Number(idOrName));
export const findDatacenter = (idOrName: string | number) => DATACENTERS.find((d) => d.name === idOrName || d.id === Number(idOrName));
export const datacenterOf = (location: string) => DATACENTERS.find((d) => d.location === location);

/** Injected shortages: `type@location` -> whether the catalogue still claims availability. */
export type Shortages = ReadonlyMap<string, { hidden: boolean }>;
export const shortageKey = (type: string, location: string) => `${type}@${location}`;

/** Whether a server can actually be placed (what POST /servers checks). */
export function canPlace(type: ServerTypeSpec, location: string, shortages: Shortages): boolean {
  return type.locations.includes(location) && !type.outOfStock?.includes(location) && !shortages.has(shortageKey(type.name, location));
}

/** What `server_type.locations[].available` claims; an injected shortage may be hidden from it. */
function listedAvailable(type: ServerTypeSpec, location: string, shortages: Shortages): boolean {
  const injected = shortages.get(shortageKey(type.name, location));
  return !type.outOfStock?.includes(location) && (injected === undefined || injected.hidden);
}

const money = (n: number) => n.toFixed(10);
const TB = 1024 ** 4;

function priceFor(type: ServerTypeSpec, location: string) {
  const zone = findLocation(location)?.network_zone ?? 'eu-central';
  const factor = zone === 'eu-central' ? 1 : zone === 'ap-southeast' ? 1.45 : 1.2;
  const monthly = Math.round(type.monthly * factor * 100) / 100;
  const hourly = Math.round((monthly / 632) * 10000) / 10000;
  const perTb = zone === 'ap-southeast' ? 7.4 : 1;
  const vat = 1.19;
  return {
    location,
    price_hourly: { net: money(hourly), gross: money(hourly * vat) },
    price_monthly: { net: money(monthly), gross: money(monthly * vat) },
    included_traffic: zone === 'eu-central' ? 20 * TB : zone === 'ap-southeast' ? TB / 2 : TB,
    price_per_tb_traffic: { net: money(perTb), gross: money(perTb * vat) },
  };
}

export function includedTraffic(type: ServerTypeSpec, location: string): number {
  return priceFor(type, location).included_traffic;
}

export function renderServerType(type: ServerTypeSpec, shortages: Shortages) {
  return {
    id: type.id,
    name: type.name,
    description: type.name.toUpperCase(),
    category: type.category,
    cores: type.cores,
    memory: type.memory,
    disk: type.disk,
    deprecated: false,
    prices: type.locations.map((l) => priceFor(type, l)),
    storage_type: 'local',
    cpu_type: type.cpu_type,
    architecture: type.architecture,
    deprecation: null,
    locations: type.locations.map((name) => {
      const loc = findLocation(name);
      const available = listedAvailable(type, name, shortages);
      return { id: loc?.id ?? 0, name, deprecation: null, available, recommended: available && loc?.network_zone === 'eu-central' };
    }),
  };
}

export function renderLocation(location: Location) {
  return { ...location };
}

export function renderDatacenter(dc: (typeof DATACENTERS)[number], shortages: Shortages) {
  const location = findLocation(dc.location);
  const supported = SERVER_TYPES.filter((t) => t.locations.includes(dc.location));
  return {
    id: dc.id,
    name: dc.name,
    description: dc.description,
    location: location ? renderLocation(location) : null,
    server_types: {
      supported: supported.map((t) => t.id),
      available: supported.filter((t) => canPlace(t, dc.location, shortages)).map((t) => t.id),
      available_for_migration: supported.map((t) => t.id),
    },
  };
}

export function renderImage(image: ImageSpec) {
  return {
    id: image.id,
    type: 'system',
    status: 'available',
    name: image.name,
    description: image.description,
    image_size: null,
    disk_size: 5,
    created: image.created,
    created_from: null,
    bound_to: null,
    os_flavor: image.os_flavor,
    os_version: image.os_version,
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
    architecture: image.architecture,
  };
}
