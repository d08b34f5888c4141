/**
 * Two tiny 24×24 JPEG portraits (gradients), small enough to keep the LDIF readable. Made once
 * with ImageMagick 6.9: `convert -size 24x24 radial-gradient:'#f4c7a1'-'#2f5d8a' -strip
 * -quality 80 alice.jpg` and `convert -size 24x24 gradient:'#e9b44c'-'#1b998b' -strip -quality
 * 80 jose.jpg`; kept here as bytes so generating the data needs no image tools.
 */
export const ALICE_PHOTO = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUf' +
    'GhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo' +
    'KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAYABgDASIAAhEBAxEB/8QAFgABAQEAAAAA' +
    'AAAAAAAAAAAAAAYH/8QAJBAAAQIDCAMAAAAAAAAAAAAAAAIEBRESBhMWISIjMmIVJEH/xAAYAQACAwAAAAAA' +
    'AAAAAAAAAAADBAABBf/EABkRAAIDAQAAAAAAAAAAAAAAAAECAAMRBP/aAAwDAQACEQMRAD8AkoaxU7X1KDDW' +
    'zVQLIXeiqRpnqeO+VyHOvret8EV5ORLE0zE4kxU0XnxBQWuu9dMgaNDl00xC5AjkCT8NfKaL6lBiXZprAKsp' +
    'RzpEldzoMBk/Enyna8+IACqoUYIJmLHTP//Z',
  'base64',
);

export const JOSE_PHOTO = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUf' +
    'GhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo' +
    'KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAYABgDASIAAhEBAxEB/8QAFQABAQAAAAAA' +
    'AAAAAAAAAAAAAAb/xAAXEAEBAQEAAAAAAAAAAAAAAAAAFGFi/8QAFwEBAQEBAAAAAAAAAAAAAAAAAAYDB//E' +
    'ABsRAAEEAwAAAAAAAAAAAAAAAAACFVFhAxMU/9oADAMBAAIRAxEAPwC9r0r1PV9FfSVbqNHayhr0T1fQN1B2' +
    'snq9K9BZ6EQc+6ckivQDQiB05JP/2Q==',
  'base64',
);
