"""The demo companies: who they are, who buys from them and what they sell."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.pt import nif

from sandbox.doctypes import DocType


def make_nif(rng: random.Random, first: str) -> str:
    """A valid Portuguese NIF starting with `first` (5 companies, 2 people, 6 public bodies)."""
    body = first + "".join(str(rng.randrange(10)) for _ in range(8 - len(first)))
    return body + nif.calc_check_digit(body)


@dataclass(frozen=True)
class DemoClient:
    name: str
    nif_prefix: str = "5"  # "" for a final consumer without NIF, "ES"/"DE" for foreign VAT IDs
    city: str = "Lisboa"
    postal_code: str = "1000-001"
    address: str = "Rua Direita, 1"
    country: str = "Portugal"
    email: str = ""


@dataclass(frozen=True)
class DemoItem:
    name: str
    description: str
    unit: str
    low: str  # unit price range
    high: str
    tax: str  # tax name
    max_quantity: int = 3
    exemption: str = ""  # exemption code when tax is Isento

    def price(self, rng: random.Random) -> Decimal:
        low, high = Decimal(self.low), Decimal(self.high)
        if low == high:
            return low
        return (low + (high - low) * Decimal(rng.randrange(101)) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DemoCompany:
    name: str
    slug: str
    nif: str
    address: str
    city: str
    postal_code: str
    clients: tuple[DemoClient, ...]
    items: tuple[DemoItem, ...]
    type_weights: dict = field(default_factory=dict)
    unregistered_serie: str = "NOVA"
    payment_days: int = 30
    mb_references: bool = False
    docs_per_day: float = 0.45

    @property
    def account_name(self) -> str:
        return self.slug.replace("-", "")


PADARIA = DemoCompany(
    name="Padaria Lusitana, Lda.",
    slug="padaria-lusitana",
    nif="509442013",
    address="Rua de Santa Catarina, 112",
    city="Porto",
    postal_code="4000-442",
    clients=(
        DemoClient("Consumidor final", nif_prefix=""),
        DemoClient(
            "Café Central, Lda.",
            city="Porto",
            postal_code="4000-322",
            address="Praça da Batalha, 7",
        ),
        DemoClient(
            "Restaurante O Pescador",
            city="Matosinhos",
            postal_code="4450-208",
            address="Rua Heróis de França, 310",
        ),
        DemoClient(
            "Hotel Miramar, S.A.",
            city="Vila Nova de Gaia",
            postal_code="4400-012",
            address="Avenida da Praia, 55",
            email="compras@hotelmiramar.pt",
        ),
        DemoClient(
            "Mercearia Silva & Filhos",
            city="Porto",
            postal_code="4050-262",
            address="Rua do Bonjardim, 402",
        ),
        DemoClient(
            "Maria Fernandes",
            nif_prefix="2",
            city="Porto",
            postal_code="4200-150",
            address="Rua Costa Cabral, 98",
        ),
        DemoClient(
            "Escola Básica da Sé",
            nif_prefix="6",
            city="Porto",
            postal_code="4050-573",
            address="Largo do Colégio, 2",
        ),
        DemoClient(
            "João Pereira",
            nif_prefix="2",
            city="Maia",
            postal_code="4470-157",
            address="Rua Augusto Simões, 14",
        ),
    ),
    items=(
        DemoItem("Pão de forma", "Pão de forma fatiado 500 g", "unit", "1.80", "1.80", "IVA6", 30),
        DemoItem("Broa de milho", "Broa de milho tradicional", "unit", "2.20", "2.20", "IVA6", 20),
        DemoItem("Papo-seco", "Papo-seco (dúzia)", "unit", "2.40", "2.40", "IVA6", 40),
        DemoItem(
            "Sandes mista", "Sandes mista servida ao balcão", "unit", "2.90", "2.90", "IVA13", 12
        ),
        DemoItem(
            "Serviço de cafetaria",
            "Cafés e galões servidos à mesa",
            "service",
            "1.10",
            "1.60",
            "IVA13",
            25,
        ),
        DemoItem("Pastel de nata", "Pastel de nata", "unit", "1.20", "1.20", "IVA23", 36),
        DemoItem(
            "Bolo de aniversário",
            "Bolo de aniversário por encomenda",
            "unit",
            "18.00",
            "45.00",
            "IVA23",
            2,
        ),
        DemoItem(
            "Sumo natural", "Sumo de laranja natural 33 cl", "unit", "2.50", "2.50", "IVA23", 10
        ),
    ),
    type_weights={DocType.SIMPLIFIED_INVOICE: 45, DocType.INVOICE_RECEIPT: 30, DocType.INVOICE: 25},
    unregistered_serie="LOJA2",
    payment_days=15,
    docs_per_day=0.42,
)

ATLANTICO = DemoCompany(
    name="Atlântico Consultoria, S.A.",
    slug="atlantico-consultoria",
    nif="514203862",
    address="Avenida da Liberdade, 190, 4.º",
    city="Lisboa",
    postal_code="1250-147",
    clients=(
        DemoClient(
            "Banco Tejo, S.A.",
            address="Rua do Ouro, 88",
            postal_code="1100-063",
            email="fornecedores@bancotejo.pt",
        ),
        DemoClient(
            "Câmara Municipal de Sintra",
            nif_prefix="6",
            city="Sintra",
            postal_code="2710-437",
            address="Largo Dr. Virgílio Horta",
        ),
        DemoClient(
            "TechNova, Lda.",
            city="Oeiras",
            postal_code="2740-122",
            address="Taguspark, Edifício Inovação I",
        ),
        DemoClient(
            "Logística Norte, S.A.", city="Braga", postal_code="4700-320", address="Rua do Raio, 15"
        ),
        DemoClient(
            "Hospital da Luz Atlântica, S.A.",
            address="Avenida Lusíada, 100",
            postal_code="1500-650",
        ),
        DemoClient(
            "Cooperativa Agrícola do Oeste, CRL",
            city="Torres Vedras",
            postal_code="2560-280",
            address="Estrada Nacional 9",
        ),
        DemoClient(
            "Iberia Soluciones, S.L.",
            nif_prefix="ES",
            city="Madrid",
            postal_code="28013",
            address="Calle Mayor, 24",
            country="Spain",
        ),
        DemoClient(
            "Hanse Beratung GmbH",
            nif_prefix="DE",
            city="Hamburg",
            postal_code="20095",
            address="Mönckebergstraße 7",
            country="Germany",
        ),
        DemoClient(
            "Ana Rodrigues",
            nif_prefix="2",
            city="Cascais",
            postal_code="2750-310",
            address="Rua Frederico Arouca, 5",
        ),
    ),
    items=(
        DemoItem(
            "Consultoria estratégica",
            "Horas de consultoria estratégica",
            "hour",
            "85.00",
            "120.00",
            "IVA23",
            40,
        ),
        DemoItem(
            "Auditoria de processos",
            "Auditoria de processos internos",
            "day",
            "650.00",
            "850.00",
            "IVA23",
            5,
        ),
        DemoItem(
            "Relatório de mercado",
            "Estudo e relatório de análise de mercado",
            "service",
            "1500.00",
            "4200.00",
            "IVA23",
            1,
        ),
        DemoItem(
            "Avença mensal",
            "Avença de acompanhamento mensal",
            "month",
            "900.00",
            "900.00",
            "IVA23",
            1,
        ),
        DemoItem(
            "Formação profissional",
            "Formação profissional certificada (por dia)",
            "day",
            "450.00",
            "450.00",
            "Isento",
            3,
            "M07",
        ),
        DemoItem("Deslocações", "Deslocações e estadias", "other", "45.00", "380.00", "IVA23", 1),
    ),
    type_weights={
        DocType.INVOICE: 80,
        DocType.INVOICE_RECEIPT: 10,
        DocType.SIMPLIFIED_INVOICE: 4,
        DocType.VAT_MOSS_INVOICE: 6,
    },
    unregistered_serie="PROJ",
    payment_days=30,
    mb_references=True,
    docs_per_day=0.38,
)

OFICINA = DemoCompany(
    name="Oficina do Douro, Unipessoal Lda.",
    slug="oficina-do-douro",
    nif="516870424",
    address="Rua da Estação, 27",
    city="Peso da Régua",
    postal_code="5050-237",
    clients=(
        DemoClient("Consumidor final", nif_prefix=""),
        DemoClient(
            "Transportes Rápidos do Douro, Lda.",
            city="Vila Real",
            postal_code="5000-603",
            address="Zona Industrial de Constantim, Lote 12",
        ),
        DemoClient(
            "Táxis Régua Unidos",
            city="Peso da Régua",
            postal_code="5050-275",
            address="Largo da Estação",
        ),
        DemoClient(
            "Quinta do Vale Meão, S.A.",
            city="Vila Nova de Foz Côa",
            postal_code="5150-501",
            address="Quinta do Vale Meão",
        ),
        DemoClient(
            "Manuel Teixeira",
            nif_prefix="2",
            city="Lamego",
            postal_code="5100-124",
            address="Rua da Olaria, 33",
        ),
        DemoClient(
            "Sofia Carvalho",
            nif_prefix="2",
            city="Peso da Régua",
            postal_code="5050-210",
            address="Avenida de Ovar, 8",
        ),
        DemoClient(
            "Rui Monteiro",
            nif_prefix="1",
            city="Mesão Frio",
            postal_code="5040-310",
            address="Rua Dr. Alfredo Pinto, 2",
        ),
    ),
    items=(
        DemoItem("Mão de obra", "Mão de obra mecânica", "hour", "32.00", "38.00", "IVA23", 6),
        DemoItem(
            "Mudança de óleo", "Mudança de óleo e filtro", "service", "45.00", "65.00", "IVA23", 1
        ),
        DemoItem(
            "Pastilhas de travão",
            "Jogo de pastilhas de travão",
            "unit",
            "38.50",
            "54.00",
            "IVA23",
            2,
        ),
        DemoItem("Pneu 205/55 R16", "Pneu 205/55 R16 91V", "unit", "74.90", "89.90", "IVA23", 4),
        DemoItem(
            "Inspeção pré-IPO",
            "Verificação antes da inspeção periódica",
            "service",
            "25.00",
            "25.00",
            "IVA23",
            1,
        ),
        DemoItem("Bateria 60Ah", "Bateria 60 Ah 540 A", "unit", "89.00", "105.00", "IVA23", 1),
        DemoItem("Reboque", "Serviço de reboque", "service", "60.00", "140.00", "IVA23", 1),
    ),
    type_weights={DocType.INVOICE: 50, DocType.INVOICE_RECEIPT: 35, DocType.SIMPLIFIED_INVOICE: 15},
    unregistered_serie="OFI2",
    payment_days=15,
    docs_per_day=0.4,
)

COMPANIES = (PADARIA, ATLANTICO, OFICINA)
