/**
 * Names of GB/T 2260 administrative division codes, bundled (no lookup service): every province, and the
 * prefectures and districts of the alliance's members. Unknown codes fall back to their province and the code.
 */
import type { Lang } from './i18n';

const PROVINCES: Record<string, readonly [string, string]> = {
  '11': ['北京市', 'Beijing'],
  '12': ['天津市', 'Tianjin'],
  '13': ['河北省', 'Hebei'],
  '14': ['山西省', 'Shanxi'],
  '15': ['内蒙古自治区', 'Inner Mongolia'],
  '21': ['辽宁省', 'Liaoning'],
  '22': ['吉林省', 'Jilin'],
  '23': ['黑龙江省', 'Heilongjiang'],
  '31': ['上海市', 'Shanghai'],
  '32': ['江苏省', 'Jiangsu'],
  '33': ['浙江省', 'Zhejiang'],
  '34': ['安徽省', 'Anhui'],
  '35': ['福建省', 'Fujian'],
  '36': ['江西省', 'Jiangxi'],
  '37': ['山东省', 'Shandong'],
  '41': ['河南省', 'Henan'],
  '42': ['湖北省', 'Hubei'],
  '43': ['湖南省', 'Hunan'],
  '44': ['广东省', 'Guangdong'],
  '45': ['广西壮族自治区', 'Guangxi'],
  '46': ['海南省', 'Hainan'],
  '50': ['重庆市', 'Chongqing'],
  '51': ['四川省', 'Sichuan'],
  '52': ['贵州省', 'Guizhou'],
  '53': ['云南省', 'Yunnan'],
  '54': ['西藏自治区', 'Tibet'],
  '61': ['陕西省', 'Shaanxi'],
  '62': ['甘肃省', 'Gansu'],
  '63': ['青海省', 'Qinghai'],
  '64': ['宁夏回族自治区', 'Ningxia'],
  '65': ['新疆维吾尔自治区', 'Xinjiang'],
  '71': ['台湾省', 'Taiwan'],
  '81': ['香港特别行政区', 'Hong Kong'],
  '82': ['澳门特别行政区', 'Macao'],
};

const PREFECTURES: Record<string, readonly [string, string]> = {
  '3301': ['杭州市', 'Hangzhou'],
  '3302': ['宁波市', 'Ningbo'],
  '3303': ['温州市', 'Wenzhou'],
  '3101': ['', ''],
  '1101': ['', ''],
};

const DISTRICTS: Record<string, readonly [string, string]> = {
  '330102': ['上城区', 'Shangcheng'],
  '330105': ['拱墅区', 'Gongshu'],
  '330106': ['西湖区', 'Xihu'],
  '330108': ['滨江区', 'Binjiang'],
  '330109': ['萧山区', 'Xiaoshan'],
  '330110': ['余杭区', 'Yuhang'],
  '330183': ['富阳区', 'Fuyang'],
  '310115': ['浦东新区', 'Pudong'],
  '110101': ['东城区', 'Dongcheng'],
  '110102': ['西城区', 'Xicheng'],
};

/** The name of a region code, most general first in Chinese ('浙江省杭州市富阳区'), last in English. */
export function regionName(lang: Lang, code: string | null | undefined): string {
  if (!code) return lang === 'zh' ? '未知地区' : 'Unknown region';
  if (!/^\d{6}$/.test(code)) return code;
  const index = lang === 'zh' ? 0 : 1;
  const parts: string[] = [];
  const province = PROVINCES[code.slice(0, 2)];
  if (province) parts.push(province[index]);
  if (code.slice(2) !== '0000') {
    const prefecture = PREFECTURES[code.slice(0, 4)];
    if (prefecture?.[index]) parts.push(prefecture[index]);
    if (code.slice(4) !== '00') {
      const district = DISTRICTS[code];
      if (district) parts.push(district[index]);
    }
  }
  if (parts.length === 0) return code;
  const known = DISTRICTS[code] || code.slice(4) === '00' || code.slice(2) === '0000';
  const name = lang === 'zh' ? parts.join('') : parts.reverse().join(', ');
  return known ? name : `${name} (${code})`;
}
